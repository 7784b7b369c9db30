import { afterEach } from 'vitest';
import { CoreError } from '../../src/main/core/errors';
import { tempCore, tempDir } from './temp-core';

/**
 * For a core test file: `fresh()` opens core on a new temp data dir that is closed and
 * removed after each test; `newDir()` is an empty temp folder removed after each test;
 * `cleanups` takes other after-test work.
 */
export function coreTestKit() {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  return {
    cleanups,
    fresh() {
      const t = tempCore();
      cleanups.push(t.cleanup);
      return t;
    },
    newDir(): string {
      const d = tempDir();
      cleanups.push(d.cleanup);
      return d.dir;
    },
  };
}

/** Runs `fn` and returns the CoreError it throws; fails the test when it does not throw one. */
export function coreErrorOf(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('expected a CoreError');
}
