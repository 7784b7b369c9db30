// .env and JSON files of secrets, read line by line so that an import can say which line
// breaks which rule. (The dotenv package's parser skips what it cannot read without a
// word, which an import preview must not do.) Shared: the renderer previews with the same
// rules core applies. Problems name lines and names, never values.
import { secretNameProblem, secretValueProblem } from './rules';

export interface EnvEntry {
  /** 1-based line where the entry starts. */
  line: number;
  name: string;
  value: string;
}

export interface EnvProblem {
  line: number;
  /** The name when one could be read (names are not secret); never the value. */
  name?: string;
  problem: string;
}

export interface ParsedSecrets {
  entries: EnvEntry[];
  problems: EnvProblem[];
}

const shortName = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Drops entries whose name comes again later (the last one wins, as in dotenv), saying so. */
function lastWins(entries: EnvEntry[], problems: EnvProblem[]): ParsedSecrets {
  const last = new Map<string, EnvEntry>();
  for (const e of entries) last.set(e.name, e);
  const kept: EnvEntry[] = [];
  for (const e of entries) {
    const winner = last.get(e.name)!;
    if (winner === e) kept.push(e);
    else problems.push({ line: e.line, name: e.name, problem: `${e.name} is set again on line ${winner.line}; that later value is the one imported.` });
  }
  return { entries: kept, problems: problems.sort((a, b) => a.line - b.line) };
}

function checkEntry(e: EnvEntry, problems: EnvProblem[]): boolean {
  const nameProblem = secretNameProblem(e.name);
  if (nameProblem) {
    problems.push({ line: e.line, name: shortName(e.name), problem: nameProblem });
    return false;
  }
  const valueProblem = secretValueProblem(e.value);
  if (valueProblem) {
    problems.push({ line: e.line, name: e.name, problem: valueProblem });
    return false;
  }
  return true;
}

const DOUBLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * dotenv syntax: `# comments`, blank lines, `export NAME=value`, values unquoted (to a ` #`
 * comment or the end of the line, trimmed), in single quotes or backticks (literal), or in
 * double quotes (escapes \n \r \t \" \\ \$), quoted values across several lines.
 */
export function parseDotenv(text: string): ParsedSecrets {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    line = line.replace(/^\s*export\s+/, '');
    const eq = line.indexOf('=');
    if (eq === -1) {
      problems.push({ line: lineNo, problem: 'No "=" on this line: write NAME=value.' });
      continue;
    }
    const name = line.slice(0, eq).trim();
    let rest = line.slice(eq + 1).replace(/^[ \t]+/, '');
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // Read to the closing quote, across lines if need be.
      let body = rest.slice(1);
      let endLine = i;
      let close = -1;
      for (;;) {
        close = findClose(body, quote);
        if (close !== -1 || endLine + 1 >= lines.length) break;
        endLine++;
        body += `\n${lines[endLine]}`;
      }
      if (close === -1) {
        problems.push({ line: lineNo, name: shortName(name), problem: `The value's opening ${quote} is never closed.` });
        i = lines.length;
        continue;
      }
      const raw = body.slice(0, close);
      const after = body.slice(close + 1).trim();
      i = endLine;
      if (after !== '' && !after.startsWith('#')) {
        problems.push({ line: lineNo, name: shortName(name), problem: 'There is text after the closing quote (only a # comment may follow).' });
        continue;
      }
      value = quote === '"' ? raw.replace(/\\([nrt"\\$])/g, (_m, c: string) => DOUBLE_ESCAPES[c]!) : raw;
    } else {
      const comment = rest.search(/\s#/);
      if (comment !== -1) rest = rest.slice(0, comment);
      value = rest.trim();
    }
    const entry = { line: lineNo, name, value };
    if (checkEntry(entry, problems)) entries.push(entry);
  }
  return lastWins(entries, problems);
}

function findClose(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (quote === '"' && body[j] === '\\') {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

/** A JSON object of names to text (numbers and booleans are taken as their text). */
export function parseSecretsJson(text: string): ParsedSecrets {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 1;
    return { entries: [], problems: [{ line, problem: 'This is not valid JSON.' }] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { entries: [], problems: [{ line: 1, problem: 'The JSON must be one object of names to values: { "NAME": "value" }.' }] };
  }
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const lines = text.split('\n');
  const lineOf = (name: string) => {
    const needle = JSON.stringify(name);
    const idx = lines.findIndex((l) => l.includes(needle));
    return idx === -1 ? 1 : idx + 1;
  };
  for (const [name, raw] of Object.entries(data as Record<string, unknown>)) {
    const line = lineOf(name);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      problems.push({ line, name: shortName(name), problem: `The value of ${shortName(name)} is ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : 'an object'}: only text, numbers and booleans can be imported.` });
      continue;
    }
    const entry = { line, name, value: String(raw) };
    if (checkEntry(entry, problems)) entries.push(entry);
  }
  return { entries, problems: problems.sort((a, b) => a.line - b.line) };
}

export function parseSecretsFile(format: 'env' | 'json', text: string): ParsedSecrets {
  return format === 'json' ? parseSecretsJson(text) : parseDotenv(text);
}

/** A .env file that reads back to exactly these values (always double-quoted, escaped). */
export function serializeDotenv(entries: { name: string; value: string }[]): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return entries.map((e) => `${e.name}="${esc(e.value)}"`).join('\n') + (entries.length ? '\n' : '');
}

export function serializeSecretsJson(entries: { name: string; value: string }[]): string {
  return `${JSON.stringify(Object.fromEntries(entries.map((e) => [e.name, e.value])), null, 2)}\n`;
}

