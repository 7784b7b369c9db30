import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildHandlerRuntime } from '../../scripts/handler-runtime.mjs';

/**
 * Before the suites: the Deno handler runtime bundled once (core finds it through
 * $CRUDE_HANDLER_RUNTIME when it runs from source), and one Deno cache for every test's
 * handlers, so that an npm: dependency is downloaded once per run, not once per test.
 */
export default async function setup(): Promise<void> {
  const dir = resolve('node_modules/.cache/crude-test-runtime');
  mkdirSync(dir, { recursive: true });
  process.env.CRUDE_HANDLER_RUNTIME = await buildHandlerRuntime(resolve('.'), resolve(dir, 'handler-runtime.js'));
  process.env.CRUDE_TEST_DENO_DIR = resolve('node_modules/.cache/crude-test-deno');
}
