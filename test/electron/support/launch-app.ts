// Starts the Electron app the way the smoke test does and collects what it says: its
// exit, stdout and stderr. Plain Node, so it is tested here against a stand-in runtime
// (test/electron/launch-app.test.ts) although the real one cannot run on these machines.
import { spawn } from 'node:child_process';
import { electronLaunch } from '../../../scripts/electron-runtime.mjs';

export interface AppRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The app did not exit within the time allowed and was killed. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface LaunchOptions {
  /** The Electron executable. */
  runtime: string;
  /** The app folder Electron loads (the checkout's root). */
  appDir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function launchApp(options: LaunchOptions): Promise<AppRun> {
  const launch = electronLaunch([options.appDir, ...(options.args ?? [])], { env: options.env ?? process.env });
  const child = spawn(options.runtime, launch.args, { cwd: options.appDir, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': the pipes may still hold the last lines when the process exits.
    child.on('close', (c, s) => resolve([c, s]));
  }).finally(() => clearTimeout(timer));
  return { code, signal, timedOut, stdout, stderr };
}
