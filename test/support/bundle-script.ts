import { resolve } from 'node:path';
// @ts-expect-error — a plain .mjs helper shared with the npm scripts
import { bundleNode } from '../../scripts/bundle-node.mjs';

/**
 * Bundles a TypeScript entry into runnable ESM for a child process (tests run TS from
 * source; a child node process cannot), with the worker entries beside it.
 */
export function bundleForChild(entry: string): Promise<string> {
  return (bundleNode as (e: string, o: string) => Promise<string>)(entry, resolve(`node_modules/.cache/crude-test-${process.pid}`));
}
