/**
 * Removes secret and API key values a request handled from text that is about to be
 * logged (console output, errors): a handler that prints a secret must not put it into
 * the execution log. Values shorter than 4 characters are left alone (they would shred
 * ordinary text and reveal little).
 */
export class Redactor {
  private readonly values = new Map<string, string>();

  add(value: unknown, label: string): void {
    if (typeof value === 'string' && value.length >= 4) this.values.set(value, label);
    else if (value && typeof value === 'object') {
      for (const v of Object.values(value as Record<string, unknown>)) this.add(v, label);
    }
  }

  apply(text: string): string {
    let out = text;
    // Longest first, so a value containing another is replaced whole.
    for (const [value, label] of [...this.values].sort((a, b) => b[0].length - a[0].length)) {
      if (out.includes(value)) out = out.split(value).join(`[redacted ${label}]`);
    }
    return out;
  }
}
