import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { HandlerFailure, RunHooks, RunOutcome, RuntimeRequest } from '../handler-runtime';
import {
  FROM_HANDLER,
  FrameError,
  FrameReader,
  TO_HANDLER,
  encodeFrame,
  handlerFrameLimits,
  type ConsoleLevel,
  type ErrorFacts,
  type Frame,
  type HandlerCtxData,
  type LoadFailedMessage,
  type RunFailedMessage,
  type SecretAnswer,
} from '../protocol';
import { memoryPollMs, residentBytes } from './process-memory';
import type { SourceLocations } from './source-locations';

export interface HandlerProcessOptions {
  deno: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  maxResponseBytes: number;
  memoryMb: number;
  locations: SourceLocations;
}

export type LoadResult = { ok: true } | { ok: false; failure: HandlerFailure };

interface Pending {
  seq: number;
  hooks: RunHooks;
  resolve(outcome: RunOutcome): void;
  timer: NodeJS.Timeout;
  consoleEntries: number;
  dropped: number;
  secretCalls: number;
}

const LEVELS = new Set<ConsoleLevel>(['log', 'info', 'warn', 'error', 'debug']);
/** Console entries per request the host keeps; a handler printing far more is flooding. */
const MAX_CONSOLE_PER_REQUEST = 500;
const FLOOD_DROPPED = 20_000;
const MAX_SECRET_CALLS_PER_REQUEST = 10_000;
/** How long a process that missed a request's deadline has to show its event loop still turns. */
const PING_GRACE_MS = 1000;

const isString = (v: unknown): v is string => typeof v === 'string';
const isPairs = (v: unknown): v is [string, string][] => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isString(p[1]));

/**
 * One Deno process serving one version of one function's handler: any number of requests
 * at a time, as on the platform. It is replaced when a request times out, when it breaks
 * its channel, passes its memory limit, or ends. Every frame it sends is checked before use.
 */
export class HandlerProcess {
  readonly loaded: Promise<LoadResult>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly reader: FrameReader;
  private readonly pending = new Map<number, Pending>();
  private nextSeq = 1;
  private settleLoad!: (r: LoadResult) => void;
  private isLoaded = false;
  private stderrTail = '';
  /** Console output before the module was ready: shown with the first request. */
  private loadConsole: [ConsoleLevel, string][] = [];
  private endReason: HandlerFailure | null = null;
  private memoryTimer: NodeJS.Timeout;
  private pings = new Map<number, (alive: boolean) => void>();
  private corked = false;
  /** No new requests: it is being replaced. */
  retired = false;
  dead = false;
  private readonly exited: Promise<void>;
  lastUsed = Date.now();

  constructor(private readonly o: HandlerProcessOptions) {
    this.loaded = new Promise((r) => (this.settleLoad = r));
    this.reader = new FrameReader(handlerFrameLimits(o.maxResponseBytes));
    this.child = spawn(o.deno, o.args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.exited = new Promise((r) => this.child.once('close', () => r()));
    this.child.stdin.on('error', () => {}); // a dead child: 'exit' says why
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-16 * 1024);
    });
    this.child.on('error', (err) => this.end({ kind: 'crashed', message: `The handler process could not start: ${err.message}` }));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    const limit = o.memoryMb * 1024 * 1024;
    this.memoryTimer = setInterval(() => {
      const pid = this.child.pid;
      if (!pid || this.dead) return;
      void residentBytes(pid).then((bytes) => {
        if (bytes !== null && bytes > limit && !this.dead) {
          this.kill({ kind: 'memory', message: `The handler used more than its memory limit of ${o.memoryMb} MB (${Math.round(bytes / 1024 / 1024)} MB) and was stopped.` });
        }
      });
    }, memoryPollMs());
    this.memoryTimer.unref();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Runs one request. Resolves with the handler's response or why there is none. */
  run(request: RuntimeRequest, ctx: HandlerCtxData, hooks: RunHooks, timeoutMs: number): Promise<RunOutcome> {
    this.lastUsed = Date.now();
    if (this.dead) return Promise.resolve({ kind: 'failure', failure: this.endReason ?? { kind: 'crashed', message: 'The handler process has ended.' } });
    const seq = this.nextSeq++;
    return new Promise<RunOutcome>((resolve) => {
      const timer = setTimeout(() => this.timedOut(seq, timeoutMs), timeoutMs);
      this.pending.set(seq, { seq, hooks, resolve, timer, consoleEntries: 0, dropped: 0, secretCalls: 0 });
      for (const [level, message] of this.loadConsole.splice(0)) this.console(this.pending.get(seq)!, level, message);
      this.write(encodeFrame(TO_HANDLER.RUN, seq, { method: request.method, url: request.url, headers: request.headers, ctx }, request.body));
    });
  }

  /** Takes no new requests; ends once the ones running are answered. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) this.kill({ kind: 'crashed', message: 'The handler process was replaced.' });
  }

  /** Ends the process now; requests still running get `reason`. */
  kill(reason: HandlerFailure): void {
    if (this.dead) return;
    this.end(reason);
    this.child.kill('SIGKILL');
  }

  /** Resolves when the OS process is gone. */
  closed(): Promise<void> {
    return this.exited;
  }

  private write(frame: Uint8Array) {
    if (this.dead) return;
    // Frames of one turn go out in one write.
    if (!this.corked) {
      this.corked = true;
      this.child.stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        this.child.stdin.uncork();
      });
    }
    this.child.stdin.write(frame);
  }

  private settle(seq: number, outcome: RunOutcome) {
    const p = this.pending.get(seq);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(seq);
    p.resolve(outcome);
    if (this.retired && this.pending.size === 0) this.kill({ kind: 'crashed', message: 'The handler process was replaced.' });
  }

  private fail(seq: number, failure: HandlerFailure) {
    this.settle(seq, { kind: 'failure', failure });
  }

  private timedOut(seq: number, timeoutMs: number) {
    this.write(encodeFrame(TO_HANDLER.CANCEL, seq));
    this.fail(seq, { kind: 'timeout', message: `The handler did not answer within ${Math.round(timeoutMs / 100) / 10} s and was stopped.` });
    // A fresh process takes the next requests; this one ends now if its event loop is stuck
    // (a loop), or once its other requests are answered.
    this.retired = true;
    this.ping(PING_GRACE_MS).then((alive) => {
      if (!alive) this.kill({ kind: 'timeout', message: 'Another request to this handler did not answer in time, and the handler process was stopped.' });
      else if (this.pending.size === 0) this.kill({ kind: 'crashed', message: 'The handler process was replaced.' });
    });
  }

  private ping(withinMs: number): Promise<boolean> {
    if (this.dead) return Promise.resolve(false);
    const id = this.nextSeq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pings.delete(id);
        resolve(false);
      }, withinMs);
      this.pings.set(id, (alive) => {
        clearTimeout(timer);
        resolve(alive);
      });
      this.write(encodeFrame(TO_HANDLER.PING, id));
    });
  }

  private onData(chunk: Buffer) {
    try {
      this.reader.push(chunk, (frame) => this.onFrame(frame));
    } catch (err) {
      const detail = err instanceof FrameError ? err.message : String(err);
      this.kill({
        kind: 'crashed',
        message: `The handler process broke its channel to the host (${detail}) and was stopped. Writing raw bytes to standard output (fd 1) does this; use console.log.`,
      });
    }
  }

  private onFrame(f: Frame) {
    switch (f.kind) {
      case FROM_HANDLER.READY:
        if (!this.isLoaded) {
          this.isLoaded = true;
          this.settleLoad({ ok: true });
        }
        return;
      case FROM_HANDLER.LOAD_FAILED:
        return this.onLoadFailed(f.json as LoadFailedMessage);
      case FROM_HANDLER.CONSOLE: {
        const m = f.json as { level?: unknown; message?: unknown } | undefined;
        if (!m || !LEVELS.has(m.level as ConsoleLevel) || !isString(m.message)) return this.violation('a console entry of the wrong shape');
        const p = this.pending.get(f.id) ?? (f.id === 0 && this.pending.size === 1 ? this.pending.values().next().value : undefined);
        if (p) this.console(p, m.level as ConsoleLevel, m.message);
        else if (!this.isLoaded && this.loadConsole.length < MAX_CONSOLE_PER_REQUEST) this.loadConsole.push([m.level as ConsoleLevel, m.message]);
        return;
      }
      case FROM_HANDLER.SECRET:
        return this.onSecret(f.id, f.json as { seq?: unknown; call?: unknown; name?: unknown; scope?: unknown } | undefined);
      case FROM_HANDLER.RESPONSE: {
        const head = f.json as { status?: unknown; headers?: unknown } | undefined;
        if (!this.pending.has(f.id)) return;
        const status = head?.status;
        if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599 || !isPairs(head?.headers)) {
          return this.fail(f.id, { kind: 'threw', message: `The handler answered with an invalid status or headers (status ${String(status)}); a Response needs a status from 200 to 599.` });
        }
        return this.settle(f.id, { kind: 'response', status, headers: head.headers as [string, string][], body: f.bytes });
      }
      case FROM_HANDLER.FAILED:
        return this.onRunFailed(f.id, f.json as RunFailedMessage | undefined);
      case FROM_HANDLER.PONG:
        this.pings.get(f.id)?.(true);
        this.pings.delete(f.id);
        return;
      case FROM_HANDLER.UNHANDLED: {
        const facts = this.facts(f.json);
        const p = this.pending.get(f.id) ?? (this.pending.size === 1 ? this.pending.values().next().value : undefined);
        // Work the handler left running failed: this process is not trusted with new requests.
        this.retired = true;
        if (p) this.fail(p.seq, { kind: 'threw', message: `Unhandled rejection: ${facts.message}`, stack: facts.stack });
        else if (this.pending.size === 0) this.kill({ kind: 'crashed', message: 'The handler process was replaced after an unhandled rejection.' });
        return;
      }
      default:
        return this.violation(`a frame of kind ${f.kind}`);
    }
  }

  private violation(what: string) {
    this.kill({ kind: 'crashed', message: `The handler process sent ${what} and was stopped.` });
  }

  private facts(json: unknown): Required<Pick<ErrorFacts, 'message'>> & ErrorFacts {
    const j = (json ?? {}) as Partial<ErrorFacts>;
    return {
      name: isString(j.name) ? j.name : undefined,
      message: this.o.locations.relative(isString(j.message) ? j.message : 'an error without a message'),
      stack: this.o.locations.stack(isString(j.stack) ? j.stack : undefined),
    };
  }

  private console(p: Pending, level: ConsoleLevel, message: string) {
    if (p.consoleEntries >= MAX_CONSOLE_PER_REQUEST) {
      if (++p.dropped > FLOOD_DROPPED) this.kill({ kind: 'crashed', message: `The handler printed more than ${FLOOD_DROPPED} console entries past the limit of ${MAX_CONSOLE_PER_REQUEST} in one request and was stopped.` });
      return;
    }
    p.consoleEntries++;
    p.hooks.onConsole(level, message);
  }

  private onSecret(callId: number, m: { seq?: unknown; call?: unknown; name?: unknown; scope?: unknown } | undefined) {
    if (!m || typeof m.seq !== 'number' || (m.call !== 'getSecret' && m.call !== 'getCompleteSecret')) return this.violation('a secret call of the wrong shape');
    const p = this.pending.get(m.seq);
    let reply: SecretAnswer;
    if (!p) {
      reply = { ok: false, message: 'The request this ctx belongs to has already been answered; its secrets are given only while it runs.' };
    } else if (++p.secretCalls > MAX_SECRET_CALLS_PER_REQUEST) {
      reply = { ok: false, message: `More than ${MAX_SECRET_CALLS_PER_REQUEST} secret calls in one request.` };
    } else {
      try {
        reply = { ok: true, value: p.hooks.onSecret(m.call, m.name, m.scope) };
      } catch (err) {
        reply = { ok: false, message: (err as Error).message };
      }
    }
    this.write(encodeFrame(TO_HANDLER.ANSWER, callId, reply));
  }

  private onLoadFailed(m: LoadFailedMessage | undefined) {
    if (this.isLoaded) return this.violation('a load failure after loading');
    this.isLoaded = true;
    let failure: HandlerFailure;
    if (m?.kind === 'no-default-export') {
      failure = { kind: 'no-default-export', message: 'Handler must export a default function: write `export default async function (c, ctx) { ... }`.' };
    } else {
      const facts = this.facts(m);
      failure =
        facts.name === 'SyntaxError'
          ? { kind: 'syntax', message: facts.message, location: this.o.locations.firstLocation(m && isString((m as ErrorFacts).stack) ? (m as ErrorFacts).stack! : '') }
          : { kind: 'load', message: `The handler threw while loading: ${facts.name ?? 'Error'}: ${facts.message}`, stack: facts.stack, location: facts.stack ? this.o.locations.firstLocation(String((m as ErrorFacts).stack)) : undefined };
    }
    this.settleLoad({ ok: false, failure });
    this.kill(failure);
  }

  private onRunFailed(seq: number, m: RunFailedMessage | undefined) {
    if (!this.pending.has(seq)) return;
    if (m?.kind === 'too-large') {
      return this.fail(seq, { kind: 'response-too-large', message: `The handler's response is larger than ${Math.round(this.o.maxResponseBytes / 1024 / 1024)} MB.` });
    }
    if (m?.kind === 'not-response') {
      return this.fail(seq, { kind: 'threw', message: `The handler must return a Response (for example c.json(...)); it returned ${isString(m.returned) ? m.returned.slice(0, 40) : 'something else'}.` });
    }
    const facts = this.facts(m);
    this.fail(seq, { kind: 'threw', message: facts.message, stack: facts.stack });
  }

  private end(reason: HandlerFailure) {
    if (this.dead) return;
    this.dead = true;
    this.endReason = reason;
    clearInterval(this.memoryTimer);
    if (!this.isLoaded) {
      this.isLoaded = true;
      this.settleLoad({ ok: false, failure: reason });
    }
    for (const p of [...this.pending.values()]) this.fail(p.seq, reason);
    for (const resolve of this.pings.values()) resolve(false);
    this.pings.clear();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null) {
    if (this.dead) return;
    const tail = this.stderrTail.trim();
    if (/out of memory|heap limit/i.test(tail)) {
      return this.end({ kind: 'memory', message: `The handler ran out of memory (heap limit ${this.o.memoryMb} MB) and was stopped.` });
    }
    const last = this.o.locations.relative(tail.replace(/\n\s*Stack backtrace:[\s\S]*$/, '').split('\n').filter(Boolean).slice(-6).join('\n'));
    if (!this.isLoaded) {
      // Deno refused the module graph before any of it ran (what `deno info` could not see).
      const message = (/^error:\s*(.+)$/m.exec(tail)?.[1] ?? last) || `exit code ${code}`;
      const location = this.o.locations.firstLocation(tail);
      return this.end(/SyntaxError/.test(tail) ? { kind: 'syntax', message: message.replace(/^SyntaxError:\s*/, ''), location } : { kind: 'load', message: this.o.locations.relative(message), location });
    }
    this.end({
      kind: 'crashed',
      message: `The handler process ended (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : '.'}`,
    });
  }
}
