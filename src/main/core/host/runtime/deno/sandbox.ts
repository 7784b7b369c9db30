// What a handler process may do, as Deno permission flags: deny by default. No read, write,
// env, subprocess, FFI or system-information permission is granted; the handler's code
// reaches the process as its static module graph, which Deno loads without read
// permission (module-graph.ts checks beforehand that it stays inside code/). Network: any
// outbound host, except loopback — the app's own ports and local services — unless the
// operator listed a local host:port in the settings.
import type { LocalTarget } from '../../../../../shared/rules';

/** Loopback and "this host" addresses, in every form Deno checks (names, v4, v6, v4-mapped). */
const LOOPBACK_V4 = '127.0.0.0/8';
const THIS_HOST_V4 = '0.0.0.0/8';
// Deno reads v4-mapped v6 addresses (::ffff:127.0.0.1) as their v4 form.
const ALWAYS_DENIED = [THIS_HOST_V4, '[::]'];

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const intToV4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** `base/prefix` minus single addresses, as the fewest CIDR blocks. */
export function cidrsWithout(base: string, prefix: number, excluded: string[]): string[] {
  const start = v4ToInt(base)!;
  const holes = excluded.map(v4ToInt).filter((n): n is number => n !== null);
  const out: string[] = [];
  const walk = (from: number, bits: number) => {
    const size = 2 ** (32 - bits);
    const inside = holes.filter((h) => h >= from && h < from + size);
    if (inside.length === 0) out.push(`${intToV4(from)}/${bits}`);
    else if (bits < 32) {
      walk(from, bits + 1);
      walk(from + size / 2, bits + 1);
    }
  };
  walk(start, prefix);
  return out;
}

/**
 * The `--deny-net` list. Without allowed targets: all of loopback. With them: every
 * loopback address but theirs, and on their addresses every port that is listening on
 * loopback (`listeningPorts`, read when the process starts) or is the host's own, except
 * the allowed ones. Deno checks resolved addresses too, so a name that resolves to
 * loopback is refused like the address.
 */
export function netDenyList(allowed: LocalTarget[], listeningPorts: number[] = [], ownPorts: number[] = []): string[] {
  if (allowed.length === 0) return [LOOPBACK_V4, '[::1]', 'localhost', ...ALWAYS_DENIED];
  const hosts = [...new Set(allowed.map((a) => a.host))];
  const v4Hosts = hosts.filter((h) => v4ToInt(h) !== null && h.startsWith('127.'));
  const deny = [...cidrsWithout('127.0.0.0', 8, v4Hosts), ...ALWAYS_DENIED];
  if (!hosts.includes('::1')) deny.push('[::1]');
  const ports = [...new Set([...listeningPorts, ...ownPorts])].sort((a, b) => a - b);
  for (const host of hosts) {
    const open = new Set(allowed.filter((a) => a.host === host).map((a) => a.port));
    const names = host === '127.0.0.1' ? [host, 'localhost'] : host.includes(':') ? [`[${host}]`] : [host];
    for (const port of ports) if (!open.has(port)) for (const name of names) deny.push(`${name}:${port}`);
  }
  return deny;
}

export interface SandboxOptions {
  /** The entry module (a data: URL importing the runtime and the handler). */
  entry: string;
  lockFile: string;
  memoryMb: number;
  denyNet: string[];
}

/** Arguments of `deno run` for one handler process. */
export function denoRunArgs(o: SandboxOptions): string[] {
  return [
    'run',
    '--no-prompt',
    '--no-config',
    '--node-modules-dir=none',
    '--sloppy-imports',
    `--lock=${o.lockFile}`,
    '--allow-net',
    `--deny-net=${o.denyNet.join(',')}`,
    // Remote modules (jsr:, https:) from any host, as on the platform — but not from loopback.
    '--allow-import',
    `--deny-import=${[LOOPBACK_V4, '[::1]', 'localhost', ...ALWAYS_DENIED].join(',')}`,
    // The heap limit; the host also watches the whole process (ArrayBuffers are outside it).
    // optimize-for-size: a handler process under load stays near 65 MB instead of 150–170
    // MB, at the same requests/s (docs/benchmarks.md).
    `--v8-flags=--max-old-space-size=${o.memoryMb},--optimize-for-size`,
    o.entry,
  ];
}

/** Arguments of `deno info` for a handler's module graph (the same resolution as the run). */
export function denoInfoArgs(file: string, lockFile: string): string[] {
  return [
    'info',
    '--json',
    '--no-config',
    '--node-modules-dir=none',
    '--sloppy-imports',
    `--lock=${lockFile}`,
    '--allow-import',
    `--deny-import=${[LOOPBACK_V4, '[::1]', 'localhost', ...ALWAYS_DENIED].join(',')}`,
    file,
  ];
}

// Proxies, and where the OS keeps its certificate authorities (a TLS-inspecting proxy's CA
// lives there): handlers and dependency downloads trust what the operator's machine trusts.
const PASSED_THROUGH = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'DENO_CERT'];
const WINDOWS_SYSTEM = ['SYSTEMROOT', 'SystemRoot', 'WINDIR', 'windir'];

/**
 * The environment of a Deno process: none of the app's, only what Deno itself needs (its
 * cache, the npm registry, proxies, and on Windows the system folder). Handlers see none
 * of it either way: they have no env permission and Deno.env is replaced by an empty one.
 */
export function denoEnv(denoDir: string, appEnv: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const env: Record<string, string> = {
    DENO_DIR: denoDir,
    NO_COLOR: '1',
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PACKAGE_JSON: '1',
    DENO_TLS_CA_STORE: 'system,mozilla',
  };
  const registry = appEnv.NPM_CONFIG_REGISTRY ?? appEnv.npm_config_registry;
  if (registry) env.NPM_CONFIG_REGISTRY = registry;
  // Node's way of adding a CA is Deno's DENO_CERT.
  if (appEnv.NODE_EXTRA_CA_CERTS && !appEnv.DENO_CERT) env.DENO_CERT = appEnv.NODE_EXTRA_CA_CERTS;
  for (const name of [...PASSED_THROUGH, ...(platform === 'win32' ? WINDOWS_SYSTEM : [])]) {
    const value = appEnv[name];
    if (value) env[name] = value;
  }
  return env;
}
