// The handler runtime that every Deno handler process imports ahead of the handler
// (src/main/core/host/runtime/deno/child/runtime.ts), bundled with Hono into one ES module:
// Deno loads it as a local file, with no npm download and no package resolution.
// Built by electron-vite (beside out/main), by scripts/bundle-node.mjs (bench and test
// bundles) and by the Vitest setup (test/support/global-setup.ts).
import { build } from 'esbuild';
import { resolve } from 'node:path';

export const HANDLER_RUNTIME_ENTRY = 'src/main/core/host/runtime/deno/child/runtime.ts';

/** Bundles the runtime into `outfile`; `root` is the repository. */
export async function buildHandlerRuntime(root, outfile) {
  await build({
    entryPoints: [resolve(root, HANDLER_RUNTIME_ENTRY)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // Deno offers the node: built-ins the runtime uses (async_hooks, process, util).
    external: ['node:*'],
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}
