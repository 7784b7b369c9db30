// The Crude Functions server's management API, as this app relies on it: every answer's
// shape as a zod schema (read from the platform's src/*/..._routes.ts: ids are strings,
// list answers are wrapped in an object), and the small interface the sync service calls.
// An answer that does not match is a server of another version.
import { z } from 'zod';

const id = z.string().min(1);
/** Optional text fields: the server writes null or leaves them out. */
const optionalText = z.string().nullish();

const cors = z.object({
  origins: z.array(z.string()),
  credentials: z.boolean().nullish(),
  maxAge: z.number().int().nullish(),
  allowHeaders: z.array(z.string()).nullish(),
  exposeHeaders: z.array(z.string()).nullish(),
});

export const serverFunction = z.object({
  id,
  name: z.string(),
  description: optionalText,
  handler: z.string(),
  route: z.string(),
  methods: z.array(z.string()),
  /** Required API key group ids; null: a public function. */
  keys: z.array(z.string()).nullish(),
  cors: cors.nullish(),
  enabled: z.boolean(),
});
export type ServerFunction = z.infer<typeof serverFunction>;

export const serverGroup = z.object({ id, name: z.string(), description: optionalText });
export type ServerGroup = z.infer<typeof serverGroup>;

export const serverKey = z.object({
  id,
  name: z.string(),
  value: z.string(),
  description: optionalText,
  groupId: id,
  groupName: z.string(),
});
export type ServerKey = z.infer<typeof serverKey>;

export const serverSecret = z.object({
  id,
  name: z.string(),
  comment: optionalText,
  scopeType: z.enum(['global', 'function', 'group', 'key']),
  scopeRef: z.string().nullish(),
  // With includeValues=true: the decrypted value ("" when the server could not decrypt it).
  value: z.string(),
  decryptionError: z.string().nullish(),
});
export type ServerSecret = z.infer<typeof serverSecret>;

export const serverSource = z.object({ id, name: z.string(), type: z.string(), enabled: z.boolean().optional() });
export type ServerSource = z.infer<typeof serverSource>;

export const serverFileEntry = z.object({ path: z.string(), size: z.number().nonnegative() });
export type ServerFileEntry = z.infer<typeof serverFileEntry>;

export const serverFileContent = z.object({
  path: z.string(),
  content: z.string(),
  encoding: z.enum(['utf-8', 'base64']),
  size: z.number().nonnegative().optional(),
});

export const rotationStatus = z.object({
  lastRotationAt: z.string(),
  nextRotationAt: z.string(),
  rotationIntervalDays: z.number(),
  currentVersion: z.string(),
  isInProgress: z.boolean(),
});
export type ServerRotationStatus = z.infer<typeof rotationStatus>;

/** Answers, call by call. */
export const answers = {
  functions: z.object({ functions: z.array(serverFunction) }),
  function: z.object({ function: serverFunction }),
  groups: z.object({ groups: z.array(serverGroup) }),
  groupCreated: z.object({ id, name: z.string() }),
  keys: z.object({ keys: z.array(serverKey) }),
  keyCreated: z.object({ id, name: z.string(), value: z.string() }),
  secrets: z.object({ secrets: z.array(serverSecret) }),
  secretCreated: z.object({ id, name: z.string(), scopeType: z.string() }),
  sources: z.object({ sources: z.array(serverSource) }),
  source: serverSource,
  files: z.object({ files: z.array(serverFileEntry) }),
  fileContent: serverFileContent,
  fileWritten: z.object({ success: z.literal(true), path: z.string(), created: z.boolean() }),
  success: z.object({ success: z.literal(true) }),
  rotation: rotationStatus,
};

export interface NewServerFunction {
  name: string;
  handler: string;
  route: string;
  methods: string[];
  description?: string;
  keys?: string[];
  cors?: { origins: string[]; credentials?: boolean; maxAge?: number; allowHeaders?: string[]; exposeHeaders?: string[] };
}

export interface NewServerSecret {
  name: string;
  value: string;
  comment?: string;
  scopeType: 'global' | 'function' | 'group' | 'key';
  functionId?: string;
  groupId?: string;
  keyId?: string;
}

/**
 * What the sync service asks of a server. The HTTP client (http-client.ts) is the real
 * one; tests point it at the test server, or wrap it to fail on purpose.
 */
export interface ServerClient {
  /** "Server "staging" (https://…)": how errors name it. */
  readonly describe: string;
  rotationStatus(): Promise<ServerRotationStatus>;
  listFunctions(): Promise<ServerFunction[]>;
  listGroups(): Promise<ServerGroup[]>;
  listKeys(): Promise<ServerKey[]>;
  listSecrets(): Promise<ServerSecret[]>;
  listSources(): Promise<ServerSource[]>;
  listFiles(sourceId: string): Promise<ServerFileEntry[]>;
  /** Text content, or null for a binary file (the server sends it as base64). */
  readFile(sourceId: string, path: string): Promise<string | null>;

  createGroup(input: { name: string; description?: string }): Promise<{ id: string }>;
  updateGroup(id: string, input: { description: string }): Promise<void>;
  deleteGroup(id: string): Promise<void>;
  createKey(input: { groupId: string; name: string; value: string; description?: string }): Promise<{ id: string }>;
  updateKey(id: string, input: { name?: string; value?: string; description?: string }): Promise<void>;
  deleteKey(id: string): Promise<void>;
  createFunction(input: NewServerFunction): Promise<{ id: string }>;
  updateFunction(id: string, input: NewServerFunction): Promise<void>;
  setFunctionEnabled(id: string, enabled: boolean): Promise<void>;
  deleteFunction(id: string): Promise<void>;
  createSecret(input: NewServerSecret): Promise<{ id: string }>;
  updateSecret(id: string, input: { value: string; comment?: string }): Promise<void>;
  deleteSecret(id: string): Promise<void>;
  createSource(input: { name: string }): Promise<{ id: string }>;
  writeFile(sourceId: string, path: string, content: string): Promise<void>;
  deleteFile(sourceId: string, path: string): Promise<void>;
}
