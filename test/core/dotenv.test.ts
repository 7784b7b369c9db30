import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv, parseSecretsJson, serializeDotenv, serializeSecretsJson } from '../../src/shared/dotenv';

describe('.env files', () => {
  // [what it shows, file text, the entries it gives]
  const cases: [string, string, Record<string, string>][] = [
    ['a plain value', 'A=1', { A: '1' }],
    ['export', 'export B=two', { B: 'two' }],
    ['spaces around = and the value', 'C =  spaced  ', { C: 'spaced' }],
    ['an inline comment after an unquoted value', 'D=unquoted # not this', { D: 'unquoted' }],
    ['a # inside an unquoted value', 'E=a#b', { E: 'a#b' }],
    ['an empty value', 'F=', { F: '' }],
    ['comments and blank lines', '# heading\n\n  # indented\nG=g', { G: 'g' }],
    ['double quotes with escapes', 'H="a \\"q\\" \\\\ \\n \\t $X \\$Y"', { H: 'a "q" \\ \n \t $X $Y' }],
    ['single quotes are literal', "I='no \\n escapes, $HOME'", { I: 'no \\n escapes, $HOME' }],
    ['backticks are literal', 'J=`back ${tick}`', { J: 'back ${tick}' }],
    ['a quoted value across lines', 'K="line one\nline two"\nL=after', { K: 'line one\nline two', L: 'after' }],
    ['a single-quoted value across lines', "M='a\nb'", { M: 'a\nb' }],
    ['a comment after a quoted value', 'N="x" # fine', { N: 'x' }],
    ['a # inside quotes', 'O="a # b"', { O: 'a # b' }],
    ['Windows line endings', 'P=1\r\nQ="2"\r\n', { P: '1', Q: '2' }],
    ['the last of two wins', 'R=first\nR=second', { R: 'second' }],
    ['= inside the value', 'S=a=b=c', { S: 'a=b=c' }],
    ['names are case-sensitive', 'api_key=lower\nAPI_KEY=upper', { api_key: 'lower', API_KEY: 'upper' }],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    const parsed = parseDotenv(text);
    expect(Object.fromEntries(parsed.entries.map((e) => [e.name, e.value]))).toEqual(expected);
  });

  // [what it shows, file text, line, what the problem says]
  const broken: [string, string, number, RegExp][] = [
    ['no =', 'JUSTANAME', 1, /No "=" on this line/],
    ['a name with a dot', 'api.key=x', 1, /letters, digits, underscores and hyphens/],
    ['a name with a space', 'my secret=x', 1, /letters, digits/],
    ['an unclosed quote', 'A=1\nB="never closed\nC=3', 2, /opening " is never closed/],
    ['text after the closing quote', 'T="x" y', 1, /text after the closing quote/],
    ['a value over 16 KiB', `BIG=${'x'.repeat(16 * 1024 + 1)}`, 1, /16 KiB/],
    ['a replaced duplicate', 'D=1\nD=2', 1, /set again on line 2/],
  ];
  it.each(broken)('says which line breaks which rule: %s', (_what, text, line, problem) => {
    const parsed = parseDotenv(text);
    const p = parsed.problems.find((x) => x.line === line);
    expect(p?.problem).toMatch(problem);
    // Never the value.
    expect(JSON.stringify(parsed.problems)).not.toMatch(/never closed\\nC|x{100}/);
  });

  it('reads back exactly what it writes, for any value (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), (value, name) => {
        const back = parseDotenv(serializeDotenv([{ name, value }]));
        expect(back.problems).toEqual([]);
        expect(back.entries.map((e) => [e.name, e.value])).toEqual([[name, value]]);
      }),
    );
  });
});

describe('JSON files', () => {
  it('takes an object of names to text, numbers and booleans, with line numbers', () => {
    const parsed = parseSecretsJson('{\n  "A": "text",\n  "PORT": 5432,\n  "ON": true,\n  "NESTED": { "x": 1 },\n  "bad name": "x"\n}');
    expect(parsed.entries).toEqual([
      { line: 2, name: 'A', value: 'text' },
      { line: 3, name: 'PORT', value: '5432' },
      { line: 4, name: 'ON', value: 'true' },
    ]);
    expect(parsed.problems.map((p) => [p.line, p.problem.slice(0, 40)])).toEqual([
      [5, 'The value of NESTED is an object: only t'],
      [6, 'Secret name may contain only letters, di'],
    ]);
  });
  it('refuses what is not one object', () => {
    expect(parseSecretsJson('[1,2]').problems[0]!.problem).toMatch(/one object/);
    expect(parseSecretsJson('{"A": ').problems[0]!.problem).toMatch(/not valid JSON/);
  });
  it('round-trips', () => {
    const entries = [{ name: 'A', value: 'x"y\n' }, { name: 'B', value: '' }];
    expect(parseSecretsJson(serializeSecretsJson(entries)).entries.map((e) => ({ name: e.name, value: e.value }))).toEqual(entries);
  });
});
