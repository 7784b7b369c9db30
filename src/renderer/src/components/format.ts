// One formatter for every cell: toLocaleString(…, options) builds a new Intl formatter per
// call, which showed up as dropped frames while scrolling 10,000 rows.
const WHEN = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const TODAY = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Short local date-time for tables; full ISO in the title attribute. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return WHEN.format(d);
}

/** When something last happened: "just now", "5 min ago", today's time, or the date. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  const ms = now - d.getTime();
  if (Number.isNaN(ms)) return iso;
  if (ms < 45_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (new Date(now).toDateString() === d.toDateString()) return `today ${TODAY.format(d)}`;
  return WHEN.format(d);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** "3 secrets", or "1 of 805 secrets" while a filter hides some. */
export function countOf(shown: number, total: number, word: string, many = `${word}s`): string {
  return shown === total ? plural(total, word, many) : `${shown.toLocaleString('en-US')} of ${plural(total, word, many)}`;
}
