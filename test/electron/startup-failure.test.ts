// How the shell reports a failed start (src/main/startup-failure.ts): stderr always, a
// modal error box only when someone is there to close it.
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../src/main/core/errors';
import { NATIVE_BINDING_MISMATCH, openFailureMessage, showsErrorBox } from '../../src/main/startup-failure';

describe('a failed start', () => {
  it('does not wait on a modal error box under a test (CRUDE_UNDER_TEST=1)', () => {
    expect(showsErrorBox({ CRUDE_UNDER_TEST: '1' }, true)).toBe(false);
    expect(showsErrorBox({}, true)).toBe(true);
    expect(showsErrorBox({ CRUDE_UNDER_TEST: '0' }, true)).toBe(true);
    // Before the app is ready, Electron cannot show one at all.
    expect(showsErrorBox({}, false)).toBe(false);
  });

  it('names what to do when better-sqlite3 was built for another ABI', () => {
    const abi = new Error(
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.",
    );
    expect(openFailureMessage(abi, '/data')).toBe(NATIVE_BINDING_MISMATCH);
    expect(NATIVE_BINDING_MISMATCH).toContain('npm run native:electron');
  });

  it("passes core's own messages on and names the data directory otherwise", () => {
    expect(openFailureMessage(new CoreError('KEY_FILE', 'The key file is missing.'), '/data')).toBe('The key file is missing.');
    expect(openFailureMessage(new Error('SQLITE_CANTOPEN: unable to open database file'), '/data')).toBe(
      'Could not open /data: SQLITE_CANTOPEN: unable to open database file',
    );
  });
});
