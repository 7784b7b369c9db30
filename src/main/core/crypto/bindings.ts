// What each encrypted value is bound to (AES-GCM additional authenticated data): which
// table, which record, and the fields that decide who gets the value. A ciphertext copied
// or swapped into another record fails to decrypt there. One place, so that the writers,
// the readers, the rotation and the data migration can never disagree.

/** A secret: its scope, scope record and name (unique together). */
export const secretBinding = (r: { scope: string; scope_id: number; name: string }): string =>
  `crude/secret\u0000${r.scope}\u0000${r.scope_id}\u0000${r.name}`;

/** An API key's value: its group and name (unique together). Moving a key to another group breaks it. */
export const apiKeyBinding = (r: { group_id: number; name: string }): string => `crude/api-key\u0000${r.group_id}\u0000${r.name}`;

/** Text a handler produced, stored in the execution log (console output, error and stack). */
export const executionBinding = (requestId: string, column: 'console' | 'error'): string => `crude/execution\u0000${requestId}\u0000${column}`;

/** An earlier value of a secret: its place (scope, scope record, name) and version number. */
export const secretVersionBinding = (r: { scope: string; scope_id: number; name: string; n: number }): string =>
  `crude/secret-version\u0000${r.scope}\u0000${r.scope_id}\u0000${r.name}\u0000${r.n}`;

/** A server's management key: the server's name and URL. A URL changed outside the app cannot read it, so the key never goes there. */
export const serverKeyBinding = (r: { name: string; url: string }): string => `crude/server-key\u0000${r.name}\u0000${r.url}`;
