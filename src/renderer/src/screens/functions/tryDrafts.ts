// What Try it remembers per function while the app is open: the request being written,
// the last response, and the last requests sent. Kept in memory only — a body or a header
// may carry a secret, and nothing of it belongs on disk or in the URL.
import type { InvokeResult } from '../../../../shared/contract';
import type { HttpMethod } from '../../../../shared/types';

export type Pair = { k: string; v: string };

export interface RequestDraft {
  method: HttpMethod;
  params: Record<string, string>;
  query: Pair[];
  headers: Pair[];
  body: string;
  /** undefined: the default key for the function (none if public, else the first accepted). */
  keyId: number | null | undefined;
}

export interface SentRequest extends RequestDraft {
  at: string;
  path: string;
  status: number | null;
}

export const HISTORY_SIZE = 10;

const drafts = new Map<number, RequestDraft>();
const results = new Map<number, InvokeResult>();
const histories = new Map<number, SentRequest[]>();

export function draftOf(functionId: number, fallback: () => RequestDraft): RequestDraft {
  return drafts.get(functionId) ?? fallback();
}
export function saveDraft(functionId: number, d: RequestDraft): void {
  drafts.set(functionId, d);
}
export function lastResult(functionId: number): InvokeResult | null {
  return results.get(functionId) ?? null;
}
export function saveResult(functionId: number, r: InvokeResult): void {
  results.set(functionId, r);
}
export function historyOf(functionId: number): SentRequest[] {
  return histories.get(functionId) ?? [];
}
export function remember(functionId: number, sent: SentRequest): SentRequest[] {
  const list = [sent, ...historyOf(functionId)].slice(0, HISTORY_SIZE);
  histories.set(functionId, list);
  return list;
}

/** Quotes for a POSIX shell: 'it'\''s'. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request as a curl command line, key header included when given. */
export function asCurl(o: { method: string; url: string; headers: Pair[]; body: string | undefined; keyValue: string | null }): string {
  const parts = ['curl', '-i'];
  if (o.method !== 'GET') parts.push('-X', o.method);
  parts.push(sh(o.url));
  if (o.keyValue) parts.push('-H', sh(`X-API-Key: ${o.keyValue}`));
  for (const h of o.headers) if (h.k.trim()) parts.push('-H', sh(`${h.k.trim()}: ${h.v}`));
  if (o.body !== undefined && o.body !== '') parts.push('--data-raw', sh(o.body));
  return parts.join(' ');
}
