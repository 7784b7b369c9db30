// The browser-mode client: the same CrudeClient as preload's, over HTTP.
//   POST /rpc/<operation>  (JSON input)  → RpcResponse
//   GET  /events                         → text/event-stream ("event: <name>" / "data: <json>")
// Both carry `Authorization: Bearer <session token>`; the token is never put in a URL
// query string (the admin URL carries it in the fragment, which browsers never send).
import type { CrudeClient, EventName, RpcResponse } from './contract';
import { buildClient, RpcError } from './client';

export function createHttpClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): CrudeClient {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | null = null;

  async function invoke(operation: string, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}/rpc/${operation}`, { method: 'POST', headers, body: JSON.stringify(input) });
    } catch {
      throw new RpcError('HOST_UNAVAILABLE', 'The app is not answering. Is `npm run serve` still running?');
    }
    let body: RpcResponse<unknown>;
    try {
      body = (await res.json()) as RpcResponse<unknown>;
    } catch {
      throw new RpcError('INTERNAL', `The app answered ${res.status} without a readable body.`);
    }
    if (!body.ok) throw new RpcError(body.error.code, body.error.message, body.error.field);
    return body.data;
  }

  function dispatch(event: string, data: string) {
    const set = listeners.get(event as EventName);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const l of set) l(payload);
  }

  async function openStream() {
    stream = new AbortController();
    const signal = stream.signal;
    while (!signal.aborted) {
      try {
        const res = await fetchImpl(`${baseUrl}/events`, { headers, signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let idx: number;
          while ((idx = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, idx);
            buffer = buffer.slice(idx + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length) dispatch(event, data.join('\n'));
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      // Reconnect after a pause: the server may be restarting.
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  function subscribe(event: EventName, listener: (payload: unknown) => void) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!stream) void openStream();
    return () => {
      set!.delete(listener);
    };
  }

  return buildClient(invoke, subscribe);
}
