// Starts the Electron app the way the smoke test does and collects what it says: its
// exit, stdout and stderr. Plain Node, so it is tested here against a stand-in runtime
// (test/electron/launch-app.test.ts) although the real one cannot run on these machines.
import { spawn } from 'node:child_process';
import { electronLaunch } from '../../../scripts/electron-runtime.mjs';

/**
 * Set for every app a test starts: the shell then reports a failure to start on stderr
 * only, instead of also waiting on a modal error box nobody will close.
 */
export const UNDER_TEST_ENV = { CRUDE_UNDER_TEST: '1' } as const;

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
  const launch = electronLaunch([options.appDir, ...(options.args ?? [])], { env: { ...(options.env ?? process.env), ...UNDER_TEST_ENV } });
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

const MAX_SHOWN = 8000;

function tail(text: string): string {
  return text.length > MAX_SHOWN ? `…${text.slice(-MAX_SHOWN)}` : text;
}

/**
 * What a failed run shows: how it ended and everything the app wrote, stderr first, since
 * that is where the shell says why it could not start (a store that cannot be opened, a
 * better-sqlite3 built for another Electron).
 */
export function describeRun(run: AppRun, timeoutMs = 60_000): string {
  const ended = run.timedOut
    ? `The app did not exit within ${timeoutMs / 1000} s and was killed.`
    : run.signal
      ? `The app was ended by ${run.signal}.`
      : `The app exited with code ${run.code}.`;
  const stderr = run.stderr.trim() ? `Its stderr:\n${tail(run.stderr.trimEnd())}` : 'Its stderr was empty.';
  const stdout = run.stdout.trim() ? `Its stdout:\n${tail(run.stdout.trimEnd())}` : 'Its stdout was empty.';
  return [ended, stderr, stdout].join('\n');
}
