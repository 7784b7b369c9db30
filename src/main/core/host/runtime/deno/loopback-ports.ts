import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * TCP ports listening on loopback or on every interface, on Linux from /proc/net/tcp{,6}
 * (state 0A = LISTEN), elsewhere from `netstat -an`. Only needed when the operator lets
 * handlers reach some local ports: every other local port is then denied one by one.
 */
export async function listeningLoopbackPorts(platform: NodeJS.Platform = process.platform): Promise<number[]> {
  const ports = new Set<number>();
  if (platform === 'linux') {
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const port of parseProcNetTcp(text)) ports.add(port);
    }
  } else {
    const out = await new Promise<string>((resolve) =>
      execFile('netstat', ['-an'], { timeout: 3000, windowsHide: true }, (err, stdout) => resolve(err ? '' : stdout)),
    );
    for (const port of parseNetstat(out)) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

const LOCAL_V4 = new Set(['00000000']); // 0.0.0.0
/** Listening ports in the text of /proc/net/tcp or tcp6 that loopback callers can reach. */
export function parseProcNetTcp(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[3] !== '0A') continue;
    const [addr, portHex] = cols[1]!.split(':');
    if (!addr || !portHex) continue;
    // v4 addresses are little-endian hex: 127.x.x.x ends in 7F; v6 ::1 and :: and v4-mapped loopback.
    const loopback =
      LOCAL_V4.has(addr) ||
      (addr.length === 8 && addr.endsWith('7F')) ||
      addr === '00000000000000000000000001000000' ||
      addr === '00000000000000000000000000000000' ||
      (addr.length === 32 && addr.startsWith('0000000000000000FFFF0000') && addr.endsWith('7F'));
    if (loopback) out.push(parseInt(portHex, 16));
  }
  return out;
}

/** Listening ports on loopback or any interface in `netstat -an` output (macOS, Windows). */
export function parseNetstat(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (!/LISTEN/i.test(line)) continue;
    const m = /(?:^|\s)(127\.\d+\.\d+\.\d+|0\.0\.0\.0|\*|\[?::1?\]?)[.:](\d+)\s/.exec(line);
    if (m) out.push(Number(m[2]));
  }
  return out;
}
