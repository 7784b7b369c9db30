import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { WORKER_ENTRIES } from './worker-entries.mjs';

/**
 * Bundles a TypeScript entry for plain Node into outDir as <name>.mjs, with the worker
 * entries beside it (as the built app has them); npm dependencies stay external.
 */
export function bundleNode(entry, outDir) {
  mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  };
  for (const [name, src] of Object.entries(WORKER_ENTRIES)) {
    buildSync({ ...common, entryPoints: [resolve(src)], outfile: join(outDir, `${name}.js`) });
  }
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
  buildSync({ ...common, entryPoints: [resolve(entry)], outfile });
  return outfile;
}
