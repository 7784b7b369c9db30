// The installable packages (electron-builder.yml), checked without building them: the
// configuration as electron-builder itself loads and validates it, the files it names, and
// that what the packages carry outside app.asar lands where the shell looks
// (src/main/packaged-paths.ts). Then one real `electron-builder --dir` run with a stand-in
// Electron (Electron itself cannot be downloaded here), for the layout it produces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { OUTPUTS, root } from '../../scripts/build-if-needed.mjs';
import { DIST_BINDING_DIR } from '../../scripts/dist.mjs';
import { denoPlatformPackage } from '../../src/main/core/host/runtime/deno/deno-binary';
import { packagedPaths } from '../../src/main/packaged-paths';
import { docsLocation } from '../../src/main/help';
import { DEEP_LINK_SCHEME } from '../../src/shared/deep-link';

const require = createRequire(import.meta.url);
// electron-builder's own configuration loader and schema (app-builder-lib, its library).
const builderLib = dirname(require.resolve('app-builder-lib/package.json', { paths: [dirname(require.resolve('electron-builder/package.json'))] }));
const { getConfig, validateConfiguration } = require(join(builderLib, 'out/util/config/config.js')) as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: unknown): Promise<Config>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const { LinuxTargetHelper } = require(join(builderLib, 'out/targets/LinuxTargetHelper.js')) as {
  LinuxTargetHelper: new (packager: unknown) => { computeDesktopEntry(options: unknown): Promise<string> };
};

interface FileSet {
  from: string;
  to: string;
  filter?: string[];
}
interface PlatformOptions {
  target: string[];
  icon: string;
  extraResources?: FileSet[];
  maintainer?: string;
  executableName?: string;
}
interface Config {
  productName: string;
  /** Normalised by the loader into file sets. */
  files: { filter: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: FileSet[];
  protocols: { name: string; schemes: string[] }[];
  extraMetadata: { desktopName: string };
  linux: PlatformOptions;
  mac: PlatformOptions;
  win: PlatformOptions;
  nsis: { installerIcon: string; uninstallerIcon: string };
}

const quiet = { isEnabled: false, add: () => {} };
let config: Config;
beforeAll(async () => {
  config = await getConfig(root, null, null);
});

/** Where a file set puts its files, relative to resources/, with ${arch} filled in. */
function destinations(sets: FileSet[] | undefined, arch: string): { from: string; to: string }[] {
  return (sets ?? []).flatMap((s) =>
    (s.filter ?? [undefined]).map((f) => ({
      from: join(s.from.replace('${arch}', arch), f ?? ''),
      to: join(s.to, f ?? ''),
    })),
  );
}

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('is what electron-builder loads, and passes its schema', async () => {
    expect(config.productName).toBe('Crude Functions Desktop');
    await expect(validateConfiguration(structuredClone(config), quiet)).resolves.toBeUndefined();
    // The schema is no rubber stamp: a misspelt option is refused.
    await expect(validateConfiguration({ ...structuredClone(config), asarUnpak: [] }, quiet)).rejects.toThrow(/asarUnpak/);
  });

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('carries Deno for each OS and CPU in resources/deno/, where the shell runs it', () => {
    for (const [platform, options] of [['linux', config.linux], ['darwin', config.mac], ['win32', config.win]] as const) {
      for (const arch of ['x64', 'arm64']) {
        const want = relative('/r', packagedPaths('/r', platform).denoPath);
        const deno = destinations(options.extraResources, arch).find((d) => d.to === want);
        expect(deno, `${platform}-${arch}: nothing goes to ${want}`).toBeDefined();
        // The npm package the deno dependency installs for that OS and CPU.
        expect(deno!.from).toBe(join('node_modules', denoPlatformPackage(platform, arch), want.split(/[\\/]/).pop()!));
      }
    }
    // This machine's package is installed, so `npm run dist` here has its Deno.
    const here = destinations(
      { linux: config.linux, darwin: config.mac, win32: config.win }[process.platform as 'linux']?.extraResources,
      process.arch,
    ).find((d) => d.to.startsWith('deno'));
    if (here) expect(existsSync(join(root, here.from)), here.from).toBe(true);
  });

  it('unpacks the handler runtime from app.asar (Deno cannot read inside it), at the path the shell gives the host', () => {
    expect(config.asarUnpack).toContain('out/main/handler-runtime.js');
    expect(relative('/r', packagedPaths('/r').runtimeFile).split(/[\\/]/).join('/')).toBe('app.asar.unpacked/out/main/handler-runtime.js');
    expect(OUTPUTS).toContain('out/main/handler-runtime.js');
  });

  it("carries better-sqlite3's Electron build beside app.asar, from where npm run dist builds it, and not Node's", () => {
    const binding = config.extraResources.find((s) => s.to === relative('/r', packagedPaths('/r').nativeBinding));
    expect(binding?.from).toBe(join(relative(root, DIST_BINDING_DIR), 'better_sqlite3.node').split(/[\\/]/).join('/'));
    // electron-builder's own rebuild would overwrite node_modules' Node build, which npm test needs.
    expect(config.npmRebuild).toBe(false);
    expect(config.files.flatMap((f) => f.filter)).toContain('!node_modules/better-sqlite3/{build,deps,src}/**');
  });

  it('carries the docs that Help › Documentation opens', () => {
    const docs = docsLocation({ isPackaged: true, appPath: '', resourcesPath: '/r' });
    const to = config.extraResources.map((d) => d.to);
    expect(to).toContain(relative('/r', docs.file));
    expect(to).toContain(relative('/r', docs.folder));
  });

  it('has the icon in every size each target needs, and the files are those sizes', () => {
    const linuxIcons = join(root, config.linux.icon);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(join(linuxIcons, `${size}x${size}.png`)), `${size}x${size}.png`).toEqual([size, size]);
    }
    const ico = readFileSync(join(root, config.win.icon));
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(icoSizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(config.nsis.installerIcon).toBe(config.win.icon);
    expect(config.nsis.uninstallerIcon).toBe(config.win.icon);
    const icns = readFileSync(join(root, config.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.subarray(at, at + 4).toString('ascii'));
    // 16, 32, 64, 128, 256, 512, 1024 px and the @2x pairs macOS asks for.
    expect(types.sort()).toEqual(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14', 'icp4', 'icp5', 'icp6']);
  });

  it('gives the deb a maintainer and a homepage', () => {
    expect(config.linux.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^@\s]+>$/);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { homepage?: string };
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });

  it("registers crude-functions:// links in the Linux packages' .desktop file (as electron-builder writes it)", async () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual([DEEP_LINK_SCHEME]);
    const helper = new LinuxTargetHelper({
      config,
      platformSpecificBuildOptions: config.linux,
      executableName: config.linux.executableName,
      appInfo: { productName: config.productName, sanitizedProductName: config.productName, description: 'description' },
      info: { metadata: config.extraMetadata },
      fileAssociations: [],
    });
    const desktop = await helper.computeDesktopEntry(config.linux);
    expect(desktop).toContain(`MimeType=x-scheme-handler/${DEEP_LINK_SCHEME};`);
    // %U: the link reaches the app's argv (second-instance on Linux).
    expect(desktop).toMatch(/^Exec=.* %U$/m);
    expect(desktop).toContain(`StartupWMClass=${config.extraMetadata.desktopName.replace(/\.desktop$/, '')}`);
  });
});

// One real packaging run, into a throwaway project: the app's sources as stubs (the
// layout is the point, not the code), node_modules linked, and a stand-in for Electron's
// dist folder (electronDist), so nothing is downloaded. Linux only: a macOS or Windows
// Electron dist has another shape.
const packSkipReason = process.platform !== 'linux' ? 'the electron-builder --dir run uses a Linux stand-in Electron' : null;
if (packSkipReason) console.log(`Skipped: ${packSkipReason}.`);

describe.skipIf(packSkipReason !== null)('electron-builder --dir with a stand-in Electron', () => {
  let project = '';
  let resources = '';
  let run: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'crude-pack-'));
    for (const f of ['package.json', 'package-lock.json', 'README.md', 'electron-builder.yml']) cpSync(join(root, f), join(project, f));
    for (const d of ['docs', 'build']) cpSync(join(root, d), join(project, d), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    for (const output of OUTPUTS) {
      mkdirSync(dirname(join(project, output)), { recursive: true });
      writeFileSync(join(project, output), '// stub\n');
    }
    mkdirSync(join(project, '.native', 'dist'), { recursive: true });
    writeFileSync(join(project, '.native', 'dist', 'better_sqlite3.node'), 'stand-in binding');
    const electronDist = join(project, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    writeFileSync(join(electronDist, 'version'), 'v45.5.0');
    const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
    run = spawnSync(process.execPath, [cli, '--dir', '--linux', '--publish', 'never', `-c.electronDist=${electronDist}`], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
    });
    resources = join(project, 'dist', 'linux-unpacked', 'resources');
  }, 150_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('puts Deno, the Electron binding, the unpacked handler runtime and the docs where the shell looks', () => {
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const paths = packagedPaths(resources, 'linux');
    expect(existsSync(paths.denoPath)).toBe(true);
    expect(readFileSync(paths.denoPath).subarray(1, 4).toString('ascii')).toBe('ELF');
    expect(readFileSync(paths.nativeBinding, 'utf8')).toBe('stand-in binding');
    expect(readFileSync(paths.runtimeFile, 'utf8')).toBe('// stub\n');
    expect(existsSync(docsLocation({ isPackaged: true, appPath: '', resourcesPath: resources }).file)).toBe(true);
    expect(readdirSync(paths.docs)).toContain('native-modules.md');
  });

  it("leaves Deno's npm packages and Node's build of better-sqlite3 out of app.asar", () => {
    const asar = require(require.resolve('@electron/asar', { paths: [builderLib] })) as { listPackage(file: string): string[] };
    const files = asar.listPackage(join(resources, 'app.asar'));
    expect(files).toContain('/out/main/index.js');
    expect(files.filter((f) => /^\/node_modules\/(deno|@deno)(\/|$)/.test(f))).toEqual([]);
    expect(files.filter((f) => /^\/node_modules\/better-sqlite3\/(build|deps|src)(\/|$)/.test(f))).toEqual([]);
    expect(files).toContain('/node_modules/better-sqlite3/lib/index.js');
  });
});
