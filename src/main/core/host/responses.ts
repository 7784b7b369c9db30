// The function host's own answers, in the platform server's status codes and JSON shapes
// (handler-context.md), so that a client tested here works there. Where the host knows
// more than the server says, it goes into "hint", a field the server's clients ignore.
import type { HandlerFailure } from './runtime/handler-runtime';

export interface HostAnswer {
  status: number;
  body: { error: string; message?: string; requestId?: string; hint?: string };
}

export const functionNotFound = (): HostAnswer => ({ status: 404, body: { error: 'Function not found' } });

export const unauthorized = (message: 'Missing API key' | 'Invalid API key', requestId: string, hint?: string): HostAnswer => ({
  status: 401,
  body: { error: 'Unauthorized', message, requestId, ...(hint ? { hint } : {}) },
});

/** The first frame of a stack that is in the handler's files ("at examples/hello.ts:4:9"). */
function firstFrame(stack: string | undefined): string | undefined {
  const m = /\(?((?:[^\s()]+\/)?[^\s():]+\.(?:[cm]?[jt]sx?|json):\d+:\d+)\)?/.exec(stack?.split('\n').slice(1).join('\n') ?? '');
  return m && !m[1]!.includes('://') ? `at ${m[1]}` : undefined;
}

/** The answer for a run that produced no response from the handler. */
export function failureAnswer(f: HandlerFailure, requestId: string): HostAnswer {
  const answer = (status: number, error: string, message: string, hint?: string): HostAnswer => ({
    status,
    body: { error, message, requestId, ...(hint ? { hint } : {}) },
  });
  switch (f.kind) {
    case 'handler-missing':
      return answer(404, 'Handler not found', f.message);
    case 'no-default-export':
      return answer(500, 'Invalid handler', 'Handler must export a default function', f.message);
    case 'syntax':
      return answer(500, 'Handler syntax error', f.message, f.location ? `at ${f.location}` : undefined);
    case 'load':
      return answer(500, 'Handler load failed', 'An error occurred while loading the handler', f.location && !f.message.includes(f.location) ? `${f.message} (at ${f.location})` : f.message);
    case 'threw':
      return answer(500, 'Handler execution failed', f.message, firstFrame(f.stack));
    case 'crashed':
      return answer(500, 'Handler execution failed', f.message);
    case 'response-too-large':
      return answer(502, 'Handler response too large', f.message);
    case 'timeout':
      return answer(504, 'Handler timed out', f.message);
    case 'memory':
      return answer(507, 'Handler out of memory', f.message);
  }
}

/** What the execution log keeps of a failure: the answer's words, the detail, the stack. */
export function failureLogText(f: HandlerFailure, answer: HostAnswer): string {
  const lines = [`${answer.body.error}: ${f.message}`];
  if ('location' in f && f.location && !f.message.includes(f.location)) lines.push(`at ${f.location}`);
  if ('stack' in f && f.stack) lines.push(f.stack);
  return lines.join('\n');
}
