#!/usr/bin/env node
// `npm start`: builds if needed and opens the Electron window. Without the Electron
// runtime (it cannot be downloaded here) it says so in one line and runs browser mode.
import { spawn } from 'node:child_process';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { electronLaunch, findElectronRuntime, runningAsRoot } from './electron-runtime.mjs';
import { buildElectronBinding } from './native-electron.mjs';
import { runBrowserMode } from './serve.mjs';

const args = process.argv.slice(2);
buildIfNeeded();
const electron = findElectronRuntime();
if (!electron) {
  process.stderr.write("Electron's runtime is not installed and cannot be downloaded here; starting browser mode instead.\n");
  runBrowserMode(args);
} else {
  buildElectronBinding();
  if (runningAsRoot()) process.stderr.write("Running as root: Chromium's own sandbox is off (--no-sandbox), as Chromium requires.\n");
  const launch = electronLaunch([root, ...args]);
  const child = spawn(electron, launch.args, { cwd: root, stdio: 'inherit', env: launch.env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}
