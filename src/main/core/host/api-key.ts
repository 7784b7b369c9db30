/**
 * The API key a request presents, in the platform's order: `X-API-Key`, then
 * `Authorization` (Bearer, Basic with an empty user and the key as password, or the plain
 * value), then the `api_key` query parameter. The first one present is used.
 */
export function extractApiKey(header: (name: string) => string | undefined, query: URLSearchParams): string | undefined {
  const direct = header('x-api-key');
  if (direct) return direct.trim();
  const auth = header('authorization')?.trim();
  if (auth) {
    const bearer = /^Bearer\s+(.+)$/i.exec(auth);
    if (bearer) return bearer[1]!.trim();
    const basic = /^Basic\s+(.+)$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1]!.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // Basic auth carries the key as the password (the user name is empty or ignored).
      return colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
    return auth;
  }
  const fromQuery = query.get('api_key');
  return fromQuery ? fromQuery : undefined;
}
