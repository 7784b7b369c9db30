import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostWorld, type HostWorld } from './support';

// The function host as a web page in the operator's browser sees it: through DNS
// rebinding (a name the page controls, pointed at 127.0.0.1) and cross-origin requests.

/** A raw HTTP request, so that Host, Origin and Sec-Fetch-Site can be set as a browser would. */
function raw(w: HostWorld, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(`${w.base}${path}`);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function counter(w: HostWorld, name: string, cors?: Parameters<HostWorld['core']['functions']['create']>[0]['cors']) {
  w.core.code.write(`${name}.ts`, 'export default async (c) => { console.log("ran"); return c.json({ ran: true }) }');
  return w.core.functions.create({ name, route: `/${name}`, methods: ['GET', 'POST'], handler: `${name}.ts`, cors });
}

describe('DNS rebinding', () => {
  it('answers only requests addressed to a loopback name and its own port; the handler never runs otherwise', async () => {
    const w = await hostWorld();
    const fn = counter(w, 'open');
    const port = new URL(w.base).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      const res = await raw(w, '/open', { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body), host).toMatchObject({ error: 'Forbidden' });
    }
    expect(w.core.executions.list(fn.id)).toEqual([]);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await raw(w, '/open', { headers: { host } })).status, host).toBe(200);
    }
  });
});

describe('cross-origin calls', () => {
  it('a page of another origin cannot call a function without CORS rules — not even a POST that would run it', async () => {
    const w = await hostWorld();
    const fn = counter(w, 'nocors');
    const post = await raw(w, '/nocors', { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: 'x' });
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body)).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/does not allow calls from pages of https:\/\/evil\.example/) });
    // A form or an image from another site sends no Origin, but says where it comes from.
    expect((await raw(w, '/nocors', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(w.core.executions.list(fn.id).map((e) => e.status)).toEqual([403, 403]);
    expect(w.core.executions.list(fn.id).every((e) => e.console.length === 0)).toBe(true);
    // Programs (curl, a backend) send neither, and pages of the host itself are its own origin.
    expect((await raw(w, '/nocors', { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await raw(w, '/nocors', { headers: { origin: `http://127.0.0.1:${new URL(w.base).port}` } })).status).toBe(200);
  });

  it('answers the preflight and the call for an allowed origin, as the platform does, and refuses others', async () => {
    const w = await hostWorld();
    counter(w, 'web', { origins: ['https://app.example.com'], credentials: true, maxAge: 600, allowHeaders: ['X-Trace'], exposeHeaders: ['X-Request-Id'] });
    const preflight = await raw(w, '/web', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-trace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'X-Trace',
    });
    const call = await raw(w, '/web', { method: 'POST', headers: { origin: 'https://app.example.com' } });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(call.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect((await raw(w, '/web', { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('"*" lets any origin call (without credentials)', async () => {
    const w = await hostWorld();
    counter(w, 'anyone', { origins: ['*'] });
    const res = await raw(w, '/anyone', { headers: { origin: 'https://somewhere.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses CORS rules that cannot be right, naming the field', () => {
    return hostWorld().then((w) => {
      w.core.code.write('bad.ts', 'export default async (c) => c.text("x")');
      const create = (cors: object) => () => w.core.functions.create({ name: 'bad', route: '/bad', methods: ['GET'], handler: 'bad.ts', cors: cors as never });
      expect(create({ origins: ['*'], credentials: true })).toThrow(expect.objectContaining({ field: 'cors.credentials' }));
      expect(create({ origins: ['https://app.example.com/path'] })).toThrow(expect.objectContaining({ field: 'cors.origins' }));
      expect(create({ origins: [] })).toThrow(expect.objectContaining({ field: 'cors.origins' }));
    });
  });
});
