import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HandlerFailure } from '../handler-runtime';
import { denoInfoArgs } from './sandbox';

/** Stamps of a handler's local files: a changed stamp means the process must be replaced. */
export type FileStamps = Map<string, string>;

const ABSENT = 'absent';

function stampOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return ABSENT;
  }
}

/** True while every file has the stamp it had when the graph was read. */
export function stampsHold(stamps: FileStamps): boolean {
  for (const [file, stamp] of stamps) if (stampOf(file) !== stamp) return false;
  return true;
}

interface InfoModule {
  specifier: string;
  local?: string;
  error?: string;
  dependencies?: { specifier: string; code?: { specifier?: string; span?: { start: { line: number; character: number } } } }[];
}

export type GraphResult = { ok: true; stamps: FileStamps } | { ok: false; failure: HandlerFailure; stamps: FileStamps; transient: boolean };

export interface GraphOptions {
  deno: string;
  /** Real path of code/. */
  codeDir: string;
  lockFile: string;
  env: Record<string, string>;
  cwd: string;
  /** Called once when Deno starts downloading (npm:, jsr:, https: dependencies not cached yet). */
  onDownload(): void;
  timeoutMs: number;
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Reads a handler's module graph with `deno info` (Deno's own resolution: sloppy imports,
 * npm:, jsr:, URLs), downloading what is not cached yet. The local files must all be inside
 * code/ — Deno loads a static import graph without read permission, so this check is what
 * keeps `import keys from "../encryption-keys.json"` out. Returns the stamps of the local
 * files, or the first problem in the platform's categories.
 */
export async function readHandlerGraph(file: string, o: GraphOptions): Promise<GraphResult> {
  const stamps: FileStamps = new Map([[file, stampOf(file)]]);
  const rel = (p: string) => relative(o.codeDir, p).split('\\').join('/');
  const run = await new Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }>((resolve) => {
    const child = spawn(o.deno, denoInfoArgs(file, o.lockFile), { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let downloading = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < 64 * 1024 * 1024) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 256 * 1024) stderr += d;
      if (!downloading && /^Download /m.test(d)) {
        downloading = true;
        o.onDownload();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ stdout: '', stderr: err.message, code: -1, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
  if (run.timedOut) {
    return { ok: false, transient: true, stamps, failure: { kind: 'load', message: `Reading the handler's imports took longer than ${Math.round(o.timeoutMs / 1000)} s (downloading its dependencies?).` } };
  }
  let modules: InfoModule[];
  try {
    modules = (JSON.parse(run.stdout) as { modules: InfoModule[] }).modules;
  } catch {
    const why = run.stderr.replace(/^error:\s*/m, '').trim().split('\n')[0] || `deno info exited with code ${run.code}`;
    return { ok: false, transient: true, stamps, failure: { kind: 'load', message: `The handler's imports could not be read: ${why}` } };
  }

  const importerOf = (specifier: string): string | undefined => {
    for (const m of modules) {
      const dep = m.dependencies?.find((d) => d.specifier === specifier || d.code?.specifier === specifier);
      if (dep && m.local) {
        const start = dep.code?.span?.start;
        return start ? `${rel(m.local)}:${start.line + 1}:${start.character + 1}` : rel(m.local);
      }
    }
    return undefined;
  };
  const from = (specifier: string) => {
    const at = importerOf(specifier);
    return at ? ` (imported at ${at})` : '';
  };

  let failure: { failure: HandlerFailure; transient: boolean } | null = null;
  for (const m of modules) {
    const isFile = m.specifier.startsWith('file:');
    if (isFile) {
      const path = m.local ?? fileURLToPath(m.specifier);
      stamps.set(path, stampOf(path));
      if (!failure && !m.error) {
        let real: string;
        try {
          real = realpathSync(path);
        } catch {
          real = path;
        }
        if (!inside(o.codeDir, real)) {
          failure = {
            transient: false,
            failure: { kind: 'load', message: `The import of ${m.specifier}${from(m.specifier)} leads outside the code/ folder; handlers may only import files inside it.` },
          };
        }
      }
    }
    if (failure || !m.error) continue;
    const error = m.error;
    const firstLine = error.split('\n')[0]!.trim();
    if (isFile && /^SyntaxError|could not be parsed/.test(error)) {
      const location = /at (file:\S+?:\d+:\d+)/.exec(error)?.[1];
      failure = {
        transient: false,
        failure: {
          kind: 'syntax',
          message: firstLine.replace(/^SyntaxError:\s*/, '').replace(/^The module's source code could not be parsed:\s*/, ''),
          location: location ? rel(fileURLToPath(location.replace(/:\d+:\d+$/, ''))) + location.match(/:\d+:\d+$/)![0] : undefined,
        },
      };
    } else if (isFile && /Module not found/.test(error)) {
      const target = fileURLToPath(m.specifier);
      failure = { transient: false, failure: { kind: 'load', message: `Cannot find ${inside(o.codeDir, target) ? rel(target) : target}${from(m.specifier)}.` } };
    } else if (/Requires import access/.test(error)) {
      failure = { transient: false, failure: { kind: 'load', message: `The import of ${m.specifier}${from(m.specifier)} is refused: handlers may not load modules from loopback addresses.` } };
    } else {
      // A remote module (npm:, jsr:, https:) that could not be fetched: name it and say why.
      const network = /error sending request|dns error|failed to lookup|Connect|timed out|failed to load|Import '.*' failed/i.test(error);
      failure = {
        transient: network,
        failure: {
          kind: 'load',
          message: network
            ? `Could not fetch ${m.specifier}${from(m.specifier)}: this machine cannot download it (${firstLine}).`
            : `Could not load ${m.specifier}${from(m.specifier)}: ${firstLine}`,
        },
      };
    }
  }
  return failure ? { ok: false, stamps, ...failure } : { ok: true, stamps };
}
