/** Small statistics helpers for the benchmarks: they print ratios against a same-run baseline. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** Times `fn` n times (after a warm-up) and returns per-call microseconds, sorted. */
export function timeCalls(n: number, fn: (i: number) => void): number[] {
  for (let i = 0; i < Math.min(1000, n); i++) fn(i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out.sort((a, b) => a - b);
}

export interface Row {
  benchmark: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | null;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** Prints rows as a Markdown table (pasted as is into docs/benchmarks.md). */
export function printTable(rows: Row[]): void {
  const header = ['benchmark', 'measure', 'value', 'baseline', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => [r.benchmark, r.measure, r.value, r.baseline, r.ratio, r.goal, r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(line(l));
}
