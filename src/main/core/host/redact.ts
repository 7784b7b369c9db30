import { inspect } from 'node:util';

/** Values shorter than this are left alone: they would shred ordinary text and reveal little. */
const MIN_LENGTH = 4;
/** The marker a cut line ends with (the handler process and the host both cut long lines). */
const CUT = /… \[\d+ more characters\]$/;

/** The forms a value takes in printed text: as is, JSON-escaped, and as util.inspect / Deno print it inside objects. */
function forms(value: string): string[] {
  const out = new Set([value, JSON.stringify(value).slice(1, -1), inspect(value).slice(1, -1)]);
  return [...out].filter((f) => f.length >= MIN_LENGTH);
}

/**
 * Replaces secret and API key values in text about to be shown or stored (console output,
 * errors) with `[redacted secret NAME]`. A request's redactor knows the values of that
 * request and, through its parent, every value its function's handler process has been
 * given before (a value kept in a module variable and printed later). The text is
 * encrypted at rest anyway (executions.console/error); what this misses — a value the
 * handler encoded on purpose (base64, reversed, split) — is listed in docs/security.md.
 */
export class Redactor {
  private readonly values = new Map<string, string>();
  private ordered: [string, string][] | null = null;

  constructor(
    private readonly parent?: Redactor,
    private readonly maxValues = 2000,
  ) {}

  add(value: unknown, label: string): void {
    if (typeof value === 'string') {
      for (const f of forms(value)) this.remember(f, label);
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value as Record<string, unknown>)) this.add(v, label);
    }
  }

  private remember(form: string, label: string): void {
    if (this.values.get(form) === label) return;
    if (this.values.size >= this.maxValues) this.values.delete(this.values.keys().next().value!);
    this.values.set(form, label);
    this.ordered = null;
    this.parent?.remember(form, label);
  }

  /** Longest first, so a value containing another is replaced whole. */
  private all(): [string, string][] {
    this.ordered ??= [...this.values].sort((a, b) => b[0].length - a[0].length);
    return this.ordered;
  }

  apply(text: string): string {
    // What a request's redactor learns, its parent learns too: the parent's list is the whole
    // list, unless the parent has since let some of this request's values go.
    const p = this.parent;
    const entries = !p ? this.all() : [...this.values.keys()].every((k) => p.values.has(k)) ? p.all() : [...new Map([...p.values, ...this.values])].sort((a, b) => b[0].length - a[0].length);
    let out = text;
    for (const [value, label] of entries) {
      if (out.includes(value)) out = out.split(value).join(`[redacted ${label}]`);
    }
    // A line cut in the middle of a value keeps its beginning: redact that too.
    const cut = CUT.exec(out);
    if (cut) {
      const head = out.slice(0, cut.index);
      for (const [value, label] of entries) {
        for (let n = Math.min(value.length - 1, head.length); n >= MIN_LENGTH; n--) {
          if (head.endsWith(value.slice(0, n))) return `${head.slice(0, head.length - n)}[redacted ${label}]${out.slice(cut.index)}`;
        }
      }
    }
    return out;
  }
}
