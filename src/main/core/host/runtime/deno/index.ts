// The Deno sandbox: one process per function (and version of its code and settings), any
// number of requests at a time, replaced when its files change, when it misbehaves, or
// after it has been idle. Implements the HandlerRuntime the function host depends on.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HandlerFailure, HandlerRuntime, RunHooks, RunOutcome, RuntimeFunction, RuntimeLimits, RuntimePhase, RuntimeRequest } from '../handler-runtime';
import type { HandlerCtxData } from '../protocol';
import { findDeno } from './deno-binary';
import { HandlerProcess } from './handler-process';
import { listeningLoopbackPorts } from './loopback-ports';
import { readHandlerGraph, stampsHold, type FileStamps } from './module-graph';
import { parseLocalTarget } from '../../../../../shared/rules';
import { denoEnv, denoRunArgs, netDenyList } from './sandbox';
import { SourceLocations } from './source-locations';

export { findDeno } from './deno-binary';

export interface DenoRuntimeOptions {
  codeDir: string;
  /** Deno's cache (npm:, jsr:, URL imports) and lock file; `<data-dir>/deno` by default. */
  denoDir: string;
  /** The Deno binary; default: the npm platform package (deno-binary.ts). */
  denoPath?: string;
  /** The bundled runtime (child/runtime.ts); default: found beside the running bundle. */
  runtimeFile?: string;
  maxRequestBytes: number;
  /** Local host:port entries handlers may reach (the setting), read when a process starts. */
  allowedLocal: () => string[];
  /** The host's own ports: never reachable, even when listed. */
  ownPorts: () => number[];
  /** The app's environment: only the npm registry and proxies are passed on. */
  env?: NodeJS.ProcessEnv;
  idleMs?: number;
  maxProcesses?: number;
}

/** Where the bundled handler runtime is: an explicit path, $CRUDE_HANDLER_RUNTIME, or beside the running bundle. */
export function findHandlerRuntime(explicit?: string, runningModule: string = import.meta.url): string {
  if (explicit) return explicit;
  if (process.env.CRUDE_HANDLER_RUNTIME) return process.env.CRUDE_HANDLER_RUNTIME;
  const here = dirname(fileURLToPath(runningModule));
  for (const dir of [here, dirname(here)]) {
    const built = join(dir, 'handler-runtime.js');
    if (existsSync(built)) return built;
  }
  throw new Error('The handler runtime (handler-runtime.js) is not built: run `npm run build`.');
}

interface Entry {
  key: string;
  /** The local files' stamps; null until the graph is read (the entry counts as fresh meanwhile). */
  stamps: FileStamps | null;
  /** Settles when the process is ready or failed to load. */
  ready: Promise<{ ok: true; process: HandlerProcess } | { ok: false; failure: HandlerFailure; transient: boolean }>;
  process: HandlerProcess | null;
  lastUsed: number;
}

export function createDenoRuntime(o: DenoRuntimeOptions): HandlerRuntime {
  const codeDir = realpathSync(o.codeDir);
  mkdirSync(o.denoDir, { recursive: true, mode: 0o700 });
  const lockFile = join(o.denoDir, 'deno.lock');
  const env = denoEnv(join(o.denoDir, 'cache'), o.env ?? process.env);
  let deno: string | null = null;
  let runtimeFile: string | null = null;
  let locations: SourceLocations | null = null;
  const entries = new Map<number, Entry>();
  const listeners = new Set<(functionId: number, phase: RuntimePhase) => void>();
  const phase = (id: number, p: RuntimePhase) => listeners.forEach((l) => l(id, p));
  // `deno info` writes the shared lock file: one at a time.
  let graphQueue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(job: () => Promise<T>): Promise<T> => {
    const next = graphQueue.then(job);
    graphQueue = next.catch(() => {});
    return next;
  };

  const sweeper = setInterval(() => sweep(), 30_000);
  sweeper.unref();

  function keyOf(fn: RuntimeFunction, limits: RuntimeLimits, allowed: string[]): string {
    return JSON.stringify([fn.handler, fn.route, limits.memoryMb, limits.maxResponseBytes, allowed]);
  }

  async function entryModule(file: string, fn: RuntimeFunction, limits: RuntimeLimits): Promise<string> {
    const config = { route: fn.route, maxRequestBytes: o.maxRequestBytes, maxResponseBytes: limits.maxResponseBytes };
    const source =
      `import { serve } from ${JSON.stringify(pathToFileURL(runtimeFile!).href)};\n` +
      `import * as handler from ${JSON.stringify(pathToFileURL(file).href)};\n` +
      `serve(handler, ${JSON.stringify(config)});\n`;
    return `data:application/javascript;base64,${Buffer.from(source).toString('base64')}`;
  }

  function start(fn: RuntimeFunction, file: string, limits: RuntimeLimits, key: string, allowed: string[]): Entry {
    const entry: Entry = { key, stamps: null, process: null, lastUsed: Date.now(), ready: null! };
    entry.ready = (async () => {
      phase(fn.id, 'starting');
      const graph = await oneAtATime(() =>
        readHandlerGraph(file, {
          deno: deno!,
          codeDir,
          lockFile,
          env,
          cwd: o.denoDir,
          timeoutMs: 10 * 60_000,
          onDownload: () => phase(fn.id, 'fetching-dependencies'),
        }),
      );
      entry.stamps = graph.stamps;
      if (!graph.ok) {
        phase(fn.id, 'failed');
        return { ok: false as const, failure: graph.failure, transient: graph.transient };
      }
      const targets = allowed.map(parseLocalTarget).filter((t) => t !== null);
      const denyNet = netDenyList(targets, targets.length ? await listeningLoopbackPorts() : [], o.ownPorts());
      const proc = new HandlerProcess({
        deno: deno!,
        args: denoRunArgs({ entry: await entryModule(file, fn, limits), lockFile, memoryMb: limits.memoryMb, denyNet }),
        env,
        cwd: o.denoDir,
        maxResponseBytes: limits.maxResponseBytes,
        memoryMb: limits.memoryMb,
        locations: locations!,
      });
      entry.process = proc;
      const loaded = await proc.loaded;
      phase(fn.id, loaded.ok ? 'ready' : 'failed');
      return loaded.ok ? { ok: true as const, process: proc } : { ok: false as const, failure: loaded.failure, transient: false };
    })();
    return entry;
  }

  function drop(id: number, entry: Entry) {
    if (entries.get(id) === entry) entries.delete(id);
    entry.process?.retire();
  }

  function sweep() {
    const now = Date.now();
    const idle = [...entries].filter(([, e]) => !e.process || e.process.inFlight === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    let excess = entries.size - (o.maxProcesses ?? 32);
    for (const [id, e] of idle) {
      if (excess > 0 || now - e.lastUsed > (o.idleMs ?? 5 * 60_000)) {
        excess--;
        drop(id, e);
        phase(id, 'stopped');
      }
    }
  }

  return {
    async run(fn: RuntimeFunction, request: RuntimeRequest, ctx: HandlerCtxData, hooks: RunHooks, limits: RuntimeLimits): Promise<RunOutcome> {
      const deadline = Date.now() + limits.timeoutMs;
      const file = join(codeDir, fn.handler);
      try {
        deno ??= findDeno(o.denoPath);
        runtimeFile ??= findHandlerRuntime(o.runtimeFile);
        locations ??= new SourceLocations(codeDir, runtimeFile);
      } catch (err) {
        return { kind: 'failure', failure: { kind: 'load', message: (err as Error).message } };
      }
      const allowed = o.allowedLocal();
      const key = keyOf(fn, limits, allowed);
      let entry = entries.get(fn.id);
      if (entry && (entry.key !== key || (entry.stamps && !stampsHold(entry.stamps)) || entry.process?.dead || entry.process?.retired)) {
        drop(fn.id, entry);
        entry = undefined;
      }
      if (!entry) {
        // (A running entry's stamps include the handler file: its removal is seen there.)
        if (!existsSync(file)) return { kind: 'failure', failure: { kind: 'handler-missing', message: `Handler file does not exist: ${fn.handler}` } };
        entry = start(fn, file, limits, key, allowed);
        entries.set(fn.id, entry);
      }
      entry.lastUsed = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const ready = await Promise.race([
        entry.ready,
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limits.timeoutMs))),
      ]);
      clearTimeout(timer);
      if (ready === 'timeout') {
        // A module that loops at import never becomes ready: replace it. One that is still
        // fetching its dependencies keeps going, for the next request.
        if (entry.process) {
          entry.process.kill({ kind: 'timeout', message: 'The handler did not finish loading in time.' });
          drop(fn.id, entry);
        }
        return { kind: 'failure', failure: { kind: 'timeout', message: `The handler did not answer within ${Math.round(limits.timeoutMs / 100) / 10} s and was stopped (it was still loading).` } };
      }
      if (!ready.ok) {
        if (ready.transient) drop(fn.id, entry);
        return { kind: 'failure', failure: ready.failure };
      }
      return ready.process.run(request, ctx, hooks, Math.max(1, deadline - Date.now()));
    },
    onPhase(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      clearInterval(sweeper);
      const closing: Promise<void>[] = [];
      for (const [id, e] of entries) {
        entries.delete(id);
        if (e.process) {
          e.process.kill({ kind: 'crashed', message: 'The function host stopped.' });
          closing.push(e.process.closed());
        }
      }
      await Promise.allSettled(closing);
    },
  };
}
