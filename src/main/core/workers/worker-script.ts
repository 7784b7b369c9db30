import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

/**
 * Where a worker entry's JavaScript is. In the built app the entry sits beside the running
 * bundle or one folder up from a shared chunk (`out/main/<name>.js`, an electron-vite input). When core runs from source
 * (Vitest), the TypeScript entry is bundled once with esbuild into a temp folder.
 */
export function workerScript(name: string, tsEntry: URL, runningModule: string = import.meta.url): string {
  // Shared code may be split into out/main/chunks/, one level below the entries.
  const here = dirname(fileURLToPath(runningModule));
  for (const dir of [here, dirname(here)]) {
    const built = join(dir, `${name}.js`);
    if (existsSync(built)) return built;
  }
  const source = fileURLToPath(tsEntry);
  const key = `${source}:${statSync(source).mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const outDir = join(tmpdir(), `crude-workers-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  cache.set(key, outfile);
  return outfile;
}
