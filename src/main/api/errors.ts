// Turning whatever an operation threw into the contract's error shape. Messages that
// reach a client come from the schema or from CoreError, both written never to quote a
// secret value; anything unexpected becomes a generic INTERNAL answer.
import type { z } from 'zod';
import type { AppErrorShape, ErrorCode } from '../../shared/types';
import { isCoreError } from '../core/errors';

/** The first schema issue, naming the field by its path ("name", "methods.0"). */
export function validationError(error: z.ZodError): AppErrorShape {
  const issue = error.issues[0];
  if (!issue) return { code: 'VALIDATION', message: 'The input is not valid.' };
  let field = issue.path.map(String).join('.');
  if (!field && issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    field = issue.keys[0]!;
    return { code: 'VALIDATION', message: `Unknown field "${field}".`, field };
  }
  return field ? { code: 'VALIDATION', message: issue.message, field } : { code: 'VALIDATION', message: issue.message };
}

/**
 * The contract error for a thrown value. Unexpected errors are logged with their stack
 * (never the operation's input, which may carry secret values) and answered generically.
 */
export function errorShapeOf(err: unknown, operation: string): AppErrorShape {
  if (isCoreError(err)) return err.toJSON();
  const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  console.error(`[api] ${operation} failed unexpectedly: ${stack}`);
  return { code: 'INTERNAL', message: `Something went wrong while running ${operation}. Details are in the app's log.` };
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IN_USE: 409,
  ROTATION_IN_PROGRESS: 409,
  LOCKED: 423,
  DECRYPTION_FAILED: 500,
  KEY_FILE: 500,
  KEYCHAIN_UNAVAILABLE: 503,
  INTERNAL: 500,
  HOST_UNAVAILABLE: 503,
  RUNTIME_UNAVAILABLE: 503,
  // The admin API is fine; the Crude Functions server behind it is not (a gateway's statuses).
  SERVER_UNREACHABLE: 504,
  SERVER_UNAUTHORIZED: 502,
  SERVER_INCOMPATIBLE: 502,
  SERVER_ERROR: 502,
};

/** The HTTP status that fits an error code. */
export function httpStatusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}
