import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildHandlerRuntime } from './handler-runtime.mjs';
import { WORKER_ENTRIES } from './worker-entries.mjs';

// `?raw` imports (as Vite has them) load a file as text.
const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

/**
 * Bundles a TypeScript entry for plain Node into outDir as <name>.mjs, with the worker
 * entries and the Deno handler runtime beside it (as the built app has them); npm
 * dependencies stay external.
 */
export async function bundleNode(entry, outDir) {
  mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
    plugins: [rawPlugin],
  };
  for (const [name, src] of Object.entries(WORKER_ENTRIES)) {
    await build({ ...common, entryPoints: [resolve(src)], outfile: join(outDir, `${name}.js`) });
  }
  await buildHandlerRuntime(resolve(import.meta.dirname, '..'), join(outDir, 'handler-runtime.js'));
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
  await build({ ...common, entryPoints: [resolve(entry)], outfile });
  return outfile;
}
