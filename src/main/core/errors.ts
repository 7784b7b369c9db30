import type { AppErrorShape, ErrorCode } from '../../shared/types';

/**
 * Errors as values with a code and a message a person can act on. Messages name the
 * field or record concerned and never contain a secret or API key value.
 */
export class CoreError extends Error implements AppErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }

  toJSON(): AppErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const validation = (field: string, message: string) => new CoreError('VALIDATION', message, field);
export const notFound = (what: string, id: number | string) =>
  new CoreError('NOT_FOUND', `${what} ${typeof id === 'number' ? `#${id}` : `"${id}"`} does not exist.`);

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}
