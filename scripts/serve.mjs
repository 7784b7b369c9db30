#!/usr/bin/env node
// `npm run serve -- [--data-dir DIR] [--port N] [--host-port N]`: builds when the
// sources are newer than out/, then runs browser mode (out/main/serve.js).
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.mjs';

export function runBrowserMode(args) {
  const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), ...args], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildIfNeeded();
  runBrowserMode(process.argv.slice(2));
}
