// Checking a handler file on save, with the platform's own tools: `deno check` parses the
// file and its local imports (syntax errors) and type-checks them. It never runs the code,
// so it is given no permission at all; remote imports are read from Deno's cache only, so
// a save never waits on a download (the first call fetches them).
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeCheck, CodeDiagnostic } from '../../../../../shared/contract';

export interface CheckOptions {
  deno: string;
  /** Real path of code/: diagnostics name files relative to it; others are left out. */
  codeDir: string;
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
}

// Handlers are written as the platform's docs show them, `export default async function (c, ctx)`,
// with no types: "implicitly has an 'any' type" would flag every handler, so it is not reported.
const IGNORED_CODES = new Set([7005, 7006, 7008, 7019, 7031, 7034]);

/** Arguments of `deno check`: no permission, no config, no lock file written, cache only. */
export function denoCheckArgs(file: string): string[] {
  return ['check', '--no-config', '--no-lock', '--node-modules-dir=none', '--sloppy-imports', '--cached-only', '--quiet', file];
}

/** The diagnostics in `deno check` output: "TS2322 [ERROR]: …" type errors and "error: …" parse errors, each with its "at file:…:line:col". */
export function parseCheckOutput(output: string, codeDir: string): { diagnostics: CodeDiagnostic[]; uncached: boolean } {
  const lines = output.replace(/\r/g, '').split('\n');
  const diagnostics: CodeDiagnostic[] = [];
  let uncached = false;
  let pending: { message: string; severity: CodeDiagnostic['severity']; code: number | null; source: CodeDiagnostic['source'] } | null = null;
  for (const line of lines) {
    const ts = /^TS(\d+) \[(ERROR|WARN(?:ING)?)\]: (.*)$/.exec(line);
    const err = /^error: (.*)$/.exec(line);
    if (ts) {
      // A local file that does not exist is no type question: the handler cannot load.
      const missingLocal = ts[1] === '2307' && /'file:\/\//.test(ts[3]!);
      pending = missingLocal
        ? { message: ts[3]!.replace(/'file:\/\/[^']*\/([^/']+)'/, "'$1'"), severity: 'error', code: null, source: 'load' }
        : { message: ts[3]!, severity: 'warning', code: Number(ts[1]), source: 'type' };
    }
    else if (err && !/^Type checking failed/.test(err[1]!)) {
      const message = err[1]!.replace(/^SyntaxError:\s*/, '').replace(/^The module's source code could not be parsed:\s*/, '');
      if (/not found in cache|--cached-only|Failed loading|error sending request|Import '.*' failed/i.test(message)) {
        uncached = true;
        pending = null;
        continue;
      }
      // A file that cannot be parsed, or an import that cannot be found: the handler cannot load.
      pending = { message: message.replace(/ at file:\S+$/, ''), severity: 'error', code: null, source: /^Module not found|Cannot find|Unable to load/i.test(message) ? 'load' : 'syntax' };
      const inline = / at (file:\S+?):(\d+):(\d+)$/.exec(message);
      if (inline) {
        push(inline[1]!, inline[2]!, inline[3]!);
        continue;
      }
    } else if (pending) {
      const at = /^\s+at (file:\S+?):(\d+):(\d+)\s*$/.exec(line);
      if (at) push(at[1]!, at[2]!, at[3]!);
    }
  }
  function push(url: string, line: string, column: string) {
    const p = pending!;
    pending = null;
    if (p.code !== null && IGNORED_CODES.has(p.code)) return;
    let path: string;
    try {
      path = relative(codeDir, fileURLToPath(url)).split('\\').join('/');
    } catch {
      return;
    }
    if (path.startsWith('..')) return; // in a dependency's types: not the operator's to fix
    diagnostics.push({
      file: path,
      line: Number(line),
      column: Number(column),
      message: p.code !== null ? `${p.message} (TS${p.code})` : p.message,
      severity: p.severity,
      source: p.source,
    });
  }
  return { diagnostics, uncached };
}

/**
 * The environment with every download refused at once: `--cached-only` does not stop Deno
 * fetching npm: packages, and a save must neither wait on the network nor fill the cache
 * behind the host's back (the first call downloads, and says so). A proxy that refuses
 * connections does it, while the cache keys (the registry's real address) stay the same.
 */
export function offline(env: Record<string, string>): Record<string, string> {
  const out = { ...env };
  for (const k of ['NO_PROXY', 'no_proxy']) delete out[k];
  for (const k of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) out[k] = 'http://127.0.0.1:9';
  return out;
}

/** Runs `deno check` on one handler file; errors are syntax and load problems, warnings are type errors. */
export async function checkHandlerFile(file: string, o: CheckOptions): Promise<CodeCheck> {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const run = await new Promise<{ output: string; timedOut: boolean; failed: string | null }>((resolve) => {
    const child = spawn(o.deno, denoCheckArgs(file), { cwd: o.cwd, env: offline(o.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const take = (d: string) => {
      if (output.length < 512 * 1024) output += d;
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ output, timedOut, failed: err.message });
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ output, timedOut, failed: null });
    });
  });
  if (run.failed) return { diagnostics: [], typeChecked: false, note: `Deno could not be started to check the file: ${run.failed}` };
  if (run.timedOut) return { diagnostics: [], typeChecked: false, note: `The check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.` };
  const { diagnostics, uncached } = parseCheckOutput(run.output, o.codeDir);
  const sorted = diagnostics.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  if (uncached) {
    return {
      diagnostics: sorted,
      typeChecked: false,
      note: 'Types not checked: some npm:, jsr: or URL imports are not downloaded yet (the next call fetches them).',
    };
  }
  return { diagnostics: sorted, typeChecked: !sorted.some((d) => d.source !== 'type') };
}
