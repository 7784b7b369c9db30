import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tempDir } from '../test/support/temp-core';
import { fmt, percentile, type Row } from './stats';

function timeNodeEmpty(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t0));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** One browser-mode start on a fresh data dir: ms to the JSON line, then idle RSS after 3 s. */
function startOnce(): Promise<{ readyMs: number; rss: number }> {
  const t = tempDir('crude-bench-start-');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['out/main/serve.js', '--data-dir', t.dir, '--port', '0', '--host-port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.on('error', reject);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const readyMs = performance.now() - t0;
      setTimeout(() => {
        const rss = rssMb(child.pid!);
        child.kill('SIGTERM');
        child.on('exit', () => {
          t.cleanup();
          resolve({ readyMs, rss });
        });
      }, 3000);
    });
  });
}

/** Browser mode from launch to its JSON line, and resident memory idle after start. */
export async function startBench(runs = 5): Promise<Row[]> {
  if (!existsSync('out/main/serve.js')) throw new Error('start bench: run `npm run build` first');
  const empty: number[] = [];
  for (let i = 0; i < runs; i++) empty.push(await timeNodeEmpty());
  const starts = [];
  for (let i = 0; i < runs; i++) starts.push(await startOnce());
  const ready = percentile(starts.map((s) => s.readyMs).sort((a, b) => a - b), 50);
  const base = percentile(empty.sort((a, b) => a - b), 50);
  const rss = percentile(starts.map((s) => s.rss).sort((a, b) => a - b), 50);
  return [
    { benchmark: 'start', measure: 'launch → JSON line, median (ms)', value: fmt(ready, 0), baseline: fmt(base, 0), ratio: `${fmt(ready / base, 1)}×`, goal: '≤ 1000 ms', met: ready <= 1000 },
    { benchmark: 'start', measure: 'idle RSS after start (MB)', value: fmt(rss, 0), baseline: '—', ratio: '—', goal: '≤ 150 MB', met: rss <= 150 },
  ];
}
