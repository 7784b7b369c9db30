// Where a packaged app carries what cannot live inside app.asar; electron-builder.yml puts
// each file there and test/electron/packaging.test.ts checks that the two agree.
// Plain Node (no electron).
import { join } from 'node:path';

export interface PackagedPaths {
  /** The Deno binary (copied from the npm package @deno/<os>-<arch>[-glibc]). */
  denoPath: string;
  /** The bundled handler runtime, unpacked: Deno cannot read inside an asar archive. */
  runtimeFile: string;
  /** better-sqlite3 built for the packaged Electron's ABI (scripts/dist.mjs). */
  nativeBinding: string;
  /** README.md and docs/, for Help › Documentation. */
  docs: string;
}

export function packagedPaths(resourcesPath: string, platform: NodeJS.Platform = process.platform): PackagedPaths {
  return {
    denoPath: join(resourcesPath, 'deno', platform === 'win32' ? 'deno.exe' : 'deno'),
    runtimeFile: join(resourcesPath, 'app.asar.unpacked', 'out', 'main', 'handler-runtime.js'),
    nativeBinding: join(resourcesPath, 'better_sqlite3.node'),
    docs: join(resourcesPath, 'docs'),
  };
}
