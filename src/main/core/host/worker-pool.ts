import { Worker } from 'node:worker_threads';
import type { ConsoleLevel } from '../../../shared/types';
import { workerScript } from '../workers/worker-script';
import type { HandlerCtxData, MainToWorker, SerializedRequest, WorkerData, WorkerToMain } from './worker/protocol';
import { answer, createSecretChannel, type SecretReply } from './worker/secret-channel';

export type RunOutcome =
  | { kind: 'response'; status: number; headers: [string, string][]; body: ArrayBuffer }
  | { kind: 'error'; status: number; message: string; stack?: string };

export interface RunHooks {
  onConsole(level: ConsoleLevel, message: string): void;
  /** Answers a handler's getSecret / getCompleteSecret for this request's context only. */
  onSecret(call: 'getSecret' | 'getCompleteSecret', name: unknown, scope: unknown): unknown;
}

export interface PoolLimits {
  timeoutMs: number;
  memoryMb: number;
  maxResponseBytes: number;
}

let scriptPath: string | null = null;
function handlerWorkerScript(): string {
  scriptPath ??= workerScript('handler-worker', new URL('./worker/handler-worker.ts', import.meta.url));
  return scriptPath;
}

/** One warm worker thread running one version of one function's handler. */
class HandlerWorker {
  readonly worker: Worker;
  private readonly channel = createSecretChannel();
  private readonly loaded: Promise<{ ok: true } | { ok: false; message: string; stack?: string }>;
  dead = false;
  private onExit: ((why: string) => void) | null = null;
  private onMessage: ((m: WorkerToMain) => void) | null = null;
  private onStd: ((level: ConsoleLevel, text: string) => void) | null = null;

  constructor(data: WorkerData, memoryMb: number) {
    this.worker = new Worker(handlerWorkerScript(), {
      workerData: { ...data, secretChannel: this.channel } satisfies WorkerData,
      env: {}, // the app's environment is not the handler's business
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, memoryMb / 4)) },
    });
    this.worker.stdout.on('data', (d: Buffer) => this.onStd?.('log', d.toString('utf8').slice(0, 8192)));
    this.worker.stderr.on('data', (d: Buffer) => this.onStd?.('error', d.toString('utf8').slice(0, 8192)));
    this.loaded = new Promise((resolve) => {
      const first = (m: WorkerToMain) => {
        if (m.type === 'ready') resolve({ ok: true });
        else if (m.type === 'load-error') resolve({ ok: false, message: m.message, stack: m.stack });
        else return;
        this.worker.off('message', first);
      };
      this.worker.on('message', first);
      this.worker.once('exit', () => resolve({ ok: false, message: 'The handler worker stopped while loading.' }));
    });
    this.worker.on('message', (m: WorkerToMain) => {
      if (this.onMessage) this.onMessage(m);
      else if (m.type === 'secret') this.refuseSecret();
    });
    this.worker.on('error', (e: Error & { code?: string }) => {
      this.dead = true;
      const why =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `The handler ran out of memory (limit ${memoryMb} MB).`
          : `The handler crashed: ${e.name}: ${e.message}`;
      this.onExit?.(why);
    });
    this.worker.on('exit', (code) => {
      this.dead = true;
      this.onExit?.(`The handler ended its worker (exit code ${code}; process.exit() stops only the handler).`);
    });
  }

  /** Answers a secret call whose request is over: an error, never another request's context. */
  private refuseSecret() {
    if (this.dead) return;
    answer(this.channel, {
      ok: false,
      message: 'The request this ctx belongs to has already been answered; its secrets are given only while it runs.',
    });
  }

  async run(request: SerializedRequest, ctx: HandlerCtxData, hooks: RunHooks, timeoutMs: number): Promise<RunOutcome> {
    // The timeout covers loading too: a handler can loop forever at import.
    const deadline = Date.now() + timeoutMs;
    const timedOut = (): RunOutcome => ({
      kind: 'error',
      status: 504,
      message: `The handler did not answer within ${Math.round(timeoutMs / 100) / 10} s and was stopped.`,
    });
    let loadTimer: NodeJS.Timeout | undefined;
    const load = await Promise.race([
      this.loaded,
      new Promise<'timeout'>((r) => (loadTimer = setTimeout(() => r('timeout'), timeoutMs))),
    ]);
    clearTimeout(loadTimer);
    if (load === 'timeout') {
      this.dead = true;
      void this.worker.terminate();
      return timedOut();
    }
    if (!load.ok) {
      this.dead = true;
      void this.worker.terminate();
      return { kind: 'error', status: 500, message: load.message, stack: load.stack };
    }
    const remaining = Math.max(1, deadline - Date.now());
    return new Promise<RunOutcome>((resolve) => {
      let settled = false;
      const finish = (o: RunOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.onMessage = null;
        this.onExit = null;
        this.onStd = null;
        resolve(o);
      };
      const timer = setTimeout(() => {
        this.dead = true;
        void this.worker.terminate();
        finish(timedOut());
      }, remaining);
      this.onStd = hooks.onConsole;
      this.onExit = (why) => finish({ kind: 'error', status: 500, message: why });
      this.onMessage = (m) => {
        switch (m.type) {
          case 'console':
            hooks.onConsole(m.level, m.message);
            break;
          case 'secret': {
            // A ctx kept from an earlier request on this warm worker asks for its own request, which is over.
            if (m.requestId !== ctx.requestId) {
              this.refuseSecret();
              break;
            }
            let reply: SecretReply;
            try {
              reply = { ok: true, value: hooks.onSecret(m.call, m.name, m.scope) };
            } catch (e) {
              reply = { ok: false, message: (e as Error).message };
            }
            answer(this.channel, reply);
            break;
          }
          case 'response':
            finish({ kind: 'response', status: m.status, headers: m.headers, body: m.body });
            break;
          case 'handler-error':
            finish({ kind: 'error', status: m.status, message: m.message, stack: m.stack });
            break;
          default:
            break;
        }
      };
      const msg: MainToWorker = { type: 'run', request, ctx };
      this.worker.postMessage(msg, request.body ? [request.body] : []);
    });
  }
}

interface Slot {
  key: string;
  data: WorkerData;
  memoryMb: number;
  idle: HandlerWorker[];
  busy: Set<HandlerWorker>;
  waiting: ((w: HandlerWorker) => void)[];
  lastUsed: number;
}

/**
 * Warm workers per function and code version, a few per function so concurrent requests
 * do not queue behind one another. A new version retires the old workers; a dead worker
 * (crash, timeout, exit) is replaced on the next request.
 */
export class WorkerPool {
  private readonly slots = new Map<number, Slot>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly perFunction = 4,
    private readonly idleMs = 5 * 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  /** Runs one request on a worker of this function's current version (`version` names the code). */
  async run(
    functionId: number,
    version: string,
    data: WorkerData,
    request: SerializedRequest,
    ctx: HandlerCtxData,
    hooks: RunHooks,
    limits: PoolLimits,
  ): Promise<RunOutcome> {
    const key = `${version}\u0000${data.route}\u0000${limits.memoryMb}`;
    let slot = this.slots.get(functionId);
    if (!slot || slot.key !== key) {
      if (slot) this.retire(slot);
      slot = { key, data, memoryMb: limits.memoryMb, idle: [], busy: new Set(), waiting: [], lastUsed: Date.now() };
      this.slots.set(functionId, slot);
    }
    const worker = await this.acquire(slot);
    try {
      return await worker.run(request, ctx, hooks, limits.timeoutMs);
    } finally {
      this.release(functionId, slot, worker);
    }
  }

  private acquire(slot: Slot): Promise<HandlerWorker> {
    slot.lastUsed = Date.now();
    while (slot.idle.length) {
      const w = slot.idle.pop()!;
      if (!w.dead) {
        slot.busy.add(w);
        return Promise.resolve(w);
      }
    }
    if (slot.busy.size < this.perFunction) {
      const w = new HandlerWorker(slot.data, slot.memoryMb);
      slot.busy.add(w);
      return Promise.resolve(w);
    }
    return new Promise((resolve) => slot.waiting.push(resolve));
  }

  private release(functionId: number, slot: Slot, w: HandlerWorker) {
    slot.busy.delete(w);
    const current = this.slots.get(functionId) === slot;
    if (w.dead || !current) void w.worker.terminate();
    const next = slot.waiting.shift();
    if (!next) {
      if (!w.dead && current) slot.idle.push(w);
      return;
    }
    // A waiter gets this worker, or a fresh one where it died or its version is gone.
    const handOver = !w.dead && current ? w : new HandlerWorker(slot.data, slot.memoryMb);
    slot.busy.add(handOver);
    next(handOver);
  }

  private retire(slot: Slot) {
    for (const w of slot.idle) void w.worker.terminate();
    slot.idle = [];
    // Busy workers are terminated when they are released.
  }

  private sweep() {
    const now = Date.now();
    for (const [id, slot] of this.slots) {
      if (slot.busy.size === 0 && now - slot.lastUsed > this.idleMs) {
        this.retire(slot);
        this.slots.delete(id);
      }
    }
  }

  /** Stops every worker (host shutdown). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all: Promise<number>[] = [];
    for (const slot of this.slots.values()) {
      for (const w of [...slot.idle, ...slot.busy]) all.push(w.worker.terminate());
    }
    this.slots.clear();
    await Promise.allSettled(all);
  }
}
