import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * Resident memory of another process in bytes, read by the host (never reported by the
 * handler process itself, which could lie): /proc on Linux, `ps` on macOS, `tasklist` on
 * Windows. Null when the process is gone or cannot be read.
 */
export async function residentBytes(pid: number, platform: NodeJS.Platform = process.platform): Promise<number | null> {
  try {
    if (platform === 'linux') {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return kb ? Number(kb[1]) * 1024 : null;
    }
    const [cmd, args, pattern] =
      platform === 'win32'
        ? (['tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], /"([\d.,\s]+) K"/] as const)
        : (['ps', ['-o', 'rss=', '-p', String(pid)], /(\d+)/] as const);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(cmd, [...args], { timeout: 2000, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const m = pattern.exec(out);
    return m ? Number(m[1]!.replace(/[^\d]/g, '')) * 1024 : null;
  } catch {
    return null;
  }
}

/** How often the host reads a handler process's memory: /proc is cheap, spawning `ps` is not. */
export function memoryPollMs(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? 50 : 500;
}
