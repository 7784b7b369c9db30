import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * Bundles a TypeScript entry into runnable ESM for a child process (tests run TS from
 * source; a child node process cannot). Output lives under node_modules/.cache so the
 * externals (better-sqlite3) resolve from the project.
 */
export function bundleForChild(entry: string): string {
  const outDir = resolve('node_modules/.cache/crude-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(entry, '.ts')}-${process.pid}.mjs`);
  buildSync({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['better-sqlite3', 'esbuild'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  return outfile;
}
