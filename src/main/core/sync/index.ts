// Sync with Crude Functions servers. What this folder offers:
//   servers.ts       the configured servers; management keys encrypted, bound to name + URL
//   server-api.ts    the platform's management API answers as zod schemas; the ServerClient interface
//   http-client.ts   ServerClient over plain fetch: timeouts, size limits, errors naming server and call
//   world.ts         both sides in one name-keyed shape (refs, labels, field comparison)
//   local-world.ts   the local store as a World;  server-world.ts  a server's answers as a World
//   compare.ts       new / changed / only-local rows, with what stops a pull or a push
//   winners.ts       the per-winner diff: every function × caller × name getSecret answer
//   pull.ts          applying chosen rows in one transaction;  push.ts  planning and running a push
//   sync.ts          the service: previews kept in memory, compare, reveal, pull, push
export { createServerStore, type ServerStore, type ServerTarget } from './servers';
export { createSyncService, type SyncService } from './sync';
export { createHttpServerClient, ServerCallError } from './http-client';
export type { ServerClient } from './server-api';
