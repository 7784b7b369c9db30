import { CoreError } from '../errors';

/** Turns SQLite constraint errors into conflicts that name the field, without echoing values. */
export function mapConstraint<T>(fn: () => T, conflicts: { match: RegExp; field: string; message: string }[]): T {
  try {
    return fn();
  } catch (e) {
    const msg = (e as { message?: string }).message ?? '';
    if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      for (const c of conflicts) if (c.match.test(msg)) throw new CoreError('CONFLICT', c.message, c.field);
    }
    throw e;
  }
}
