// docs/native-modules.md says what the shell does when better-sqlite3 does not load: it
// must quote the shell's own message and where it appears (stderr and an error box; the
// app creates no window then).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIVE_BINDING_MISMATCH, UNDER_TEST_VARIABLE } from '../../src/main/startup-failure';

const doc = readFileSync(join(import.meta.dirname, '../../docs/native-modules.md'), 'utf8').replace(/\s+/g, ' ');

describe('docs/native-modules.md', () => {
  it("quotes the shell's message for a binding built for another ABI, word for word", () => {
    expect(doc).toContain(NATIVE_BINDING_MISMATCH);
  });

  it('places it where it appears: stderr and an error box, not a window', () => {
    expect(doc).not.toMatch(/window's error/i);
    expect(doc).toMatch(/creates no window/);
    expect(doc).toMatch(/stderr/);
    expect(doc).toContain(`${UNDER_TEST_VARIABLE}=1`);
  });
});
