import { CoreError } from '../errors';

/**
 * Rotation re-encrypts inside one open transaction that yields between batches so reads
 * keep being answered. Writes must not slip into that transaction (a rollback would take
 * them along), so while the gate is closed they are refused with a clear message, or
 * callers that can wait use `whenOpen()`.
 */
export class WriteGate {
  private closedBy: string | null = null;
  private waiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.closedBy === null;
  }

  close(reason: string): void {
    this.closedBy = reason;
  }

  open(): void {
    this.closedBy = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Throws ROTATION_IN_PROGRESS while closed. */
  assertOpen(): void {
    if (this.closedBy !== null) throw new CoreError('ROTATION_IN_PROGRESS', this.closedBy);
  }

  /** Resolves as soon as writes are allowed again. */
  whenOpen(): Promise<void> {
    return this.isOpen ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
