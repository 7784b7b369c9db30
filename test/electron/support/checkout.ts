// A throwaway checkout for running the repo's scripts (npm start, npm run native:electron)
// against stand-ins: a temp folder with a copy of scripts/, the build outputs those
// scripts check for (empty files: the stand-in Electron never loads them), and a
// node_modules whose electron and better-sqlite3 are the real packages (linked) and whose
// prebuild-install is a stand-in. What the scripts write (.native/) stays in the folder.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OUTPUTS, root } from '../../../scripts/build-if-needed.mjs';
import { createStandIn, type StandIn } from './stand-in';

export interface Checkout {
  root: string;
  /** The stand-in for prebuild-install/bin.js. */
  prebuildInstall: StandIn;
  remove(): void;
}

export function createCheckout(options: { prebuildInstall?: string } = {}): Checkout {
  const dir = mkdtempSync(join(tmpdir(), 'crude-checkout-'));
  cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true });
  for (const output of OUTPUTS) {
    mkdirSync(dirname(join(dir, output)), { recursive: true });
    writeFileSync(join(dir, output), '');
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const pkg of ['electron', 'better-sqlite3']) symlinkSync(join(root, 'node_modules', pkg), join(modules, pkg), 'dir');
  const prebuildInstall = createStandIn('bin.js', options.prebuildInstall ?? 'process.exit(1);', { dir: join(modules, 'prebuild-install') });
  writeFileSync(join(modules, 'prebuild-install', 'package.json'), '{"name":"prebuild-install","version":"0.0.0"}');
  return { root: dir, prebuildInstall, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
