// What the Help menu shows and opens: the versions for About, and where the docs are.
// Plain Node (no electron); the shell shows the dialog and opens the paths.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packagedPaths } from './packaged-paths';

export interface AboutVersions {
  app: string;
  electron: string;
  node: string;
  chrome?: string;
  /** Null when the Deno binary could not be found or did not answer. */
  deno: string | null;
}

/** The About dialog's text below its title. */
export function aboutDetail(v: AboutVersions): string {
  return [
    `Version ${v.app}`,
    '',
    `Electron ${v.electron}`,
    ...(v.chrome ? [`Chromium ${v.chrome}`] : []),
    `Node.js ${v.node}`,
    `Deno ${v.deno ?? 'not found (handlers cannot run)'}`,
  ].join('\n');
}

/** "deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\nv8 …" → "2.9.6". */
export function parseDenoVersion(output: string): string | null {
  return /^deno (\S+)/m.exec(output)?.[1] ?? null;
}

/** Asks the Deno binary for its version (`deno --version`); null when it cannot say within 5 s. */
export function denoVersion(denoPath: string | null): Promise<string | null> {
  if (!denoPath) return Promise.resolve(null);
  return new Promise((resolve) => {
    // An empty environment: Deno needs none to print its version.
    execFile(denoPath, ['--version'], { timeout: 5000, env: {}, windowsHide: true }, (err, stdout) => {
      resolve(err ? null : parseDenoVersion(stdout));
    });
  });
}

/**
 * The docs to open: the README and docs/ of the checkout, or in a packaged app the copy
 * the packaging puts in resources/docs/ (packaged-paths.ts).
 */
export function docsLocation(o: { isPackaged: boolean; appPath: string; resourcesPath: string }): { file: string; folder: string } {
  if (o.isPackaged) {
    const folder = packagedPaths(o.resourcesPath).docs;
    return { file: join(folder, 'README.md'), folder };
  }
  return { file: join(o.appPath, 'README.md'), folder: join(o.appPath, 'docs') };
}
