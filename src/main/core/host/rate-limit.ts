/**
 * Slows API key guessing on /run: after `maxFailures` failed key checks from one client
 * within `windowMs`, that client is answered 429 until the window has passed.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
  ) {}

  private recent(client: string, now: number): number[] {
    const list = (this.failures.get(client) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  /** Seconds to wait, or 0 when the client may try again. */
  blockedFor(client: string, now = Date.now()): number {
    const list = this.recent(client, now);
    if (list.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000));
  }

  recordFailure(client: string, now = Date.now()): void {
    this.failures.set(client, [...this.recent(client, now), now]);
  }
}
