// Stand-ins for the OS keychain (core's KeyProtector): AES-256-GCM under a key derived
// from a name, so two stand-ins with the same name are "the same keychain" (also across
// processes, for the crash tests) and one with another name is another machine's.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeychainAvailability, KeyProtector } from '../../src/main/core';

export interface StandInProtector extends KeyProtector {
  calls: { available: number; wrap: number; unwrap: number };
  /** Makes the next unwraps ask for a rewrap (as safeStorage's shouldReEncrypt does). */
  askRewrap(on: boolean): void;
}

export function standInProtector(options: { keychain?: string; backend?: string; unavailable?: string; failUnwrap?: boolean } = {}): StandInProtector {
  const key = createHash('sha256').update(`stand-in keychain ${options.keychain ?? 'this machine'}`).digest();
  const backend = options.backend ?? 'stand-in';
  const calls = { available: 0, wrap: 0, unwrap: 0 };
  let rewrap = false;
  return {
    kind: 'keychain',
    calls,
    askRewrap(on) {
      rewrap = on;
    },
    async available(): Promise<KeychainAvailability> {
      calls.available++;
      return options.unavailable ? { ok: false, backend, reason: options.unavailable } : { ok: true, backend };
    },
    async wrap(plain) {
      calls.wrap++;
      if (options.unavailable) throw new Error(options.unavailable);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
    },
    async unwrap(wrapped) {
      calls.unwrap++;
      if (options.failUnwrap) throw new Error('stand-in keychain: no such entry');
      const d = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
      d.setAuthTag(wrapped.subarray(wrapped.length - 16));
      const plain = Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]);
      return { plain, rewrap };
    },
  };
}

/** A keychain that gives back something else than it wrapped (a broken backend). */
export function forgetfulProtector(): KeyProtector {
  return {
    kind: 'keychain',
    available: async () => ({ ok: true, backend: 'forgetful' }),
    wrap: async (plain) => Buffer.from(plain),
    unwrap: async () => ({ plain: randomBytes(32), rewrap: false }),
  };
}
