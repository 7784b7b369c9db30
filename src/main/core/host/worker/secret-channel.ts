// The answer half of ctx.getSecret: main writes the reply into a SharedArrayBuffer the
// worker is blocked on, instead of posting a message back. The worker's call stays a
// request by name over its message port; only the way the answer arrives changes (no
// structured clone, no trip through the worker's event loop). One call is outstanding per
// worker at a time, since the worker waits for each answer.

const STATE = 0; // 0: waiting, 1: answered
const LENGTH = 1;
const HEADER_BYTES = 8;
/** Room for getCompleteSecret's four 16 KiB values even when JSON escapes every byte. */
export const SECRET_CHANNEL_BYTES = 512 * 1024;

export type SecretReply = { ok: true; value: unknown } | { ok: false; message: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createSecretChannel(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + SECRET_CHANNEL_BYTES);
}

/** Main: writes the reply and wakes the worker. */
export function answer(channel: SharedArrayBuffer, reply: SecretReply): void {
  const head = new Int32Array(channel, 0, 2);
  const body = new Uint8Array(channel, HEADER_BYTES);
  let json = JSON.stringify(reply);
  let { read, written } = encoder.encodeInto(json, body);
  if (read !== json.length) {
    json = JSON.stringify({ ok: false, message: 'The answer is too large for the secret channel.' } satisfies SecretReply);
    ({ written } = encoder.encodeInto(json, body));
  }
  Atomics.store(head, LENGTH, written);
  Atomics.store(head, STATE, 1);
  Atomics.notify(head, STATE);
}

/** Worker: marks the channel as waiting (before asking). */
export function expectAnswer(channel: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(channel, 0, 2), STATE, 0);
}

/** Worker: blocks until main answers, or null after `timeoutMs`. */
export function awaitAnswer(channel: SharedArrayBuffer, timeoutMs: number): SecretReply | null {
  const head = new Int32Array(channel, 0, 2);
  if (Atomics.wait(head, STATE, 0, timeoutMs) === 'timed-out') return null;
  const length = Atomics.load(head, LENGTH);
  // Copied out of shared memory first: TextDecoder does not read shared views.
  const bytes = new Uint8Array(channel, HEADER_BYTES, length);
  const json = decoder.decode(bytes.slice());
  // Nothing of this answer stays in the channel for a later request on this worker.
  bytes.fill(0);
  const reply = JSON.parse(json) as { ok: boolean; value?: unknown; message?: string };
  return reply.ok ? { ok: true, value: reply.value } : { ok: false, message: reply.message ?? 'The secret could not be read.' };
}
