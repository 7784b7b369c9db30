// Sealing under a passphrase, shared by the encrypted backup (.cfbackup) and the recovery
// kit (.cfkeys): scrypt derives an AES-256-GCM key and a passphrase check value, so
// opening tells a wrong passphrase (field `passphrase`) from a damaged file (field `file`)
// before anything is written. The file's format name is the GCM additional data and part
// of the check value: one kind of file never opens as the other.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { validation } from '../errors';

export const MIN_PASSPHRASE = 12;

/** scrypt with 128 MiB of memory: about half a second here, and as much for every guess. */
export const KDF = { N: 2 ** 17, r: 8, p: 1 };
export type Kdf = typeof KDF;

/** What a sealed file is, in the words its messages use ("backup", "recovery kit"). */
export interface SealedKind {
  format: string;
  noun: string;
}

const envelope = z.object({
  format: z.string(),
  version: z.literal(1),
  createdAt: z.string(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive(), salt: z.string() }),
  check: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  data: z.string(),
});

function keysFor(passphrase: string, salt: Buffer, kdf: Kdf): { key: Buffer; check: Buffer } {
  const out = scryptSync(passphrase.normalize('NFC'), salt, 64, { ...kdf, maxmem: 160 * kdf.N * kdf.r + 32 * 1024 * 1024 });
  return { key: out.subarray(0, 32), check: out.subarray(32) };
}

const checkValue = (format: string, checkKey: Buffer) => createHmac('sha256', checkKey).update(`${format} passphrase check`).digest();

export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE) return `The passphrase needs at least ${MIN_PASSPHRASE} characters.`;
  return null;
}

/** `payload` (JSON-able) gzipped and sealed under the passphrase: the text of the file. */
export function seal(kind: SealedKind, createdAt: string, payload: unknown, passphrase: string, kdf: Kdf = KDF): string {
  const problem = passphraseProblem(passphrase);
  if (problem) throw validation('passphrase', problem);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = keysFor(passphrase, salt, kdf);
  const plain = gzipSync(Buffer.from(JSON.stringify(payload)));
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(kind.format));
  const data = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return JSON.stringify({
    format: kind.format,
    version: 1,
    createdAt,
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    check: checkValue(kind.format, check).toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    data: data.toString('base64'),
  });
}

/**
 * Opens a sealed file of `kind` and parses its payload with `schema`. `otherKinds` name
 * the files people mix up with this one, so the message can say which it is instead.
 */
export function open<T>(kind: SealedKind, text: string, passphrase: string, schema: z.ZodType<T>, otherKinds: (SealedKind & { hint: string })[] = []): T {
  let outer: z.infer<typeof envelope>;
  try {
    outer = envelope.parse(JSON.parse(text));
  } catch {
    throw validation('file', `This is not a Crude Functions Desktop ${kind.noun}, or the file is damaged or cut short.`);
  }
  if (outer.format !== kind.format) {
    const other = otherKinds.find((k) => k.format === outer.format);
    throw validation('file', other ? `This is a ${other.noun}, not a ${kind.noun}: ${other.hint}` : `This is not a Crude Functions Desktop ${kind.noun}, or the file is damaged.`);
  }
  if (outer.kdf.N > 2 ** 20 || outer.kdf.r > 16 || outer.kdf.p > 4) throw validation('file', `The ${kind.noun} asks for key-derivation settings beyond what this app accepts; the file is damaged.`);
  const { key, check } = keysFor(passphrase, Buffer.from(outer.kdf.salt, 'base64'), outer.kdf);
  const expected = checkValue(kind.format, check);
  const given = Buffer.from(outer.check, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw validation('passphrase', `The passphrase is wrong for this ${kind.noun}.`);
  try {
    const data = Buffer.from(outer.data, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(outer.iv, 'base64'));
    d.setAAD(Buffer.from(kind.format));
    d.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
    return schema.parse(JSON.parse(gunzipSync(plain).toString('utf8')));
  } catch {
    throw validation('file', `The passphrase is right, but the ${kind.noun} is damaged (its contents fail their integrity check).`);
  }
}
