// How the Electron shell reports that it could not start: the one line a person can act
// on, always on stderr, and in a modal error box unless the app runs under a test, where
// nobody would close it and the test would only see a hang. Plain Node (no electron).
import { isCoreError } from './core/errors';

/** Set by the tests that start the app (test/electron/support/launch-app.ts). */
export const UNDER_TEST_VARIABLE = 'CRUDE_UNDER_TEST';

/** What the shell says when better-sqlite3 was built for another Node or Electron ABI. */
export const NATIVE_BINDING_MISMATCH =
  'better-sqlite3 is not built for this Electron version. Run `npm run native:electron` (see docs/native-modules.md), then start again.';

/** Whether the failure also goes to a modal error box (it always goes to stderr). */
export function showsErrorBox(env: Record<string, string | undefined>, appReady: boolean): boolean {
  return appReady && env[UNDER_TEST_VARIABLE] !== '1';
}

/** One line a person can act on when the store cannot be opened. */
export function openFailureMessage(err: unknown, dataDir: string): string {
  if (isCoreError(err)) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) return NATIVE_BINDING_MISMATCH;
  return `Could not open ${dataDir}: ${message}`;
}
