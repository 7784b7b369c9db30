import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashFixture, crashTrial, type CrashFixture } from '../support/crash-rotation';

// Fast variant for `npm test`; `npm run test:stress` runs 100+ trials.
const TRIALS = Number(process.env.CRASH_TRIALS ?? 6);
let fx: CrashFixture;
beforeAll(async () => {
  fx = await crashFixture(10_000);
}, 120_000);
afterAll(() => fx?.cleanup());

describe('crash during rotation (SIGKILL at random moments)', () => {
  it(`after each of ${TRIALS} kills the next start finishes the rotation and every secret and key decrypts to its original value`, async () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const results = [];
    // Every other trial shares the AES work with the helper thread, as rotations of 20,000+ values do.
    for (let i = 0; i < TRIALS; i++) results.push(await crashTrial(fx, random, i % 2 === 1));
    console.log(`crash trials run: ${results.length}; killed at: ${results.map((r) => `${r.killedAt}${r.finishedBeforeKill ? ' (finished)' : ''}`).join(' | ')}`);
    for (const r of results) {
      expect(r.checked).toBe(10_000);
      // Killed before the new key reached the key file: nothing to finish, still on A.
      expect(['A', 'B']).toContain(r.versionAfter);
    }
  }, 60_000 + TRIALS * 10_000);
});
