#!/usr/bin/env node
// Runs a TypeScript entry on plain Node: bundles it (and the worker entries) with esbuild
// into node_modules/.cache/run-ts and runs it with the remaining arguments.
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bundleNode } from './bundle-node.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const outfile = await bundleNode(entry, resolve('node_modules/.cache/run-ts'));
const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
