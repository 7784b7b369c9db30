// The one contract: every operation the UI or a script can perform, declared once
// with its input schema and result type. The Electron IPC transport, the HTTP /rpc
// transport, the preload client and the browser client are all derived from it.
import { z } from 'zod';
import {
  HTTP_METHODS,
  SCOPES_BY_PRECEDENCE,
  type ApiKey,
  type ApiKeyGroup,
  type CompleteSecret,
  type ConsoleEntry,
  type DeletePreview,
  type ExecutionLogEntry,
  type FunctionDef,
  type HandlerPhase,
  type HostStatus,
  type RotationResult,
  type RotationStatus,
  type SecretAccess,
  type SecretExplanation,
  type SecretInspection,
  type SecretSummary,
  type Settings,
  type Scope,
} from './types';
import {
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_LOCAL_HOSTS,
  corsProblem,
  groupNameProblem,
  handlerPathProblem,
  localTargetProblem,
  recordNameProblem,
  routeProblem,
  secretNameProblem,
  secretValueProblem,
} from './rules';

/** Turns a rule's `problem()` function into a zod refinement with the same message. */
function ruled(problem: (v: string) => string | null) {
  return z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

const id = z.number().int().positive();
const text = z.string().max(MAX_TEXT_LENGTH);
const optionalText = text.nullable().optional();
const scope = z.enum(SCOPES_BY_PRECEDENCE);
const method = z.enum(HTTP_METHODS);
const secretName = ruled(secretNameProblem);
const secretValue = ruled(secretValueProblem);
const groupName = ruled(groupNameProblem);
const keyName = ruled((v) => recordNameProblem('Key', v));
const functionName = ruled((v) => recordNameProblem('Function', v));
const route = ruled(routeProblem);
const handlerPath = ruled(handlerPathProblem);
const codePath = z
  .string()
  .min(1, 'Path is required.')
  .max(512)
  .superRefine((v, ctx) => {
    if (v.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'Path may not contain a NUL character.' });
    else if (v.startsWith('/') || /^[a-zA-Z]:/.test(v) || v.split(/[\\/]/).some((p) => p === '..' || p === '')) {
      ctx.addIssue({ code: 'custom', message: 'Path must stay inside the code/ folder (relative, no "..").' });
    }
  });
const methods = z.array(method).min(1, 'Choose at least one HTTP method.').max(HTTP_METHODS.length);
const corsConfig = z
  .object({
    origins: z.array(z.string().max(300)).max(50),
    credentials: z.boolean().optional(),
    maxAge: z.number().int().optional(),
    allowHeaders: z.array(z.string().max(100)).max(50).optional(),
    exposeHeaders: z.array(z.string().max(100)).max(50).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const p = corsProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p.message, path: p.field.split('.').slice(1) });
  });
const empty = z.object({}).strict();
const byId = z.object({ id }).strict();

interface OperationSpec<I extends z.ZodType, R> {
  input: I;
  /** Phantom: carries the result type; never read at run time. */
  result?: R;
  /** Changes stored data (the transports use this for logging and write gating). */
  mutates: boolean;
}

function query<R>() {
  return <I extends z.ZodType>(input: I): OperationSpec<I, R> => ({ input, mutates: false });
}
function command<R>() {
  return <I extends z.ZodType>(input: I): OperationSpec<I, R> => ({ input, mutates: true });
}

export interface InvokeResult {
  requestId: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was cut to keep the UI responsive. */
  bodyTruncated: boolean;
  durationMs: number;
  console: ConsoleEntry[];
  trace: SecretAccess[];
  error: string | null;
}

export interface SecretResolution {
  name: string;
  scope: Scope | null;
  /** Present only when a scope answered. */
  value?: string;
}

export interface MatrixCell {
  functionId: number;
  keyId: number | null;
  winner: Scope | null;
}

export interface ResolutionMatrix {
  name: string;
  /** Functions and keys that match the filters; `functions` and `columns` hold the first of them (the window). */
  totalFunctions: number;
  totalKeys: number;
  functions: { id: number; name: string; groupIds: number[] }[];
  /** Columns: "no key" first (keyId null), then keys grouped by group. */
  columns: { keyId: number | null; keyName: string | null; groupId: number | null; groupName: string | null }[];
  /** cells[functionIndex][columnIndex]: the scope the handler's getSecret gets for that caller. */
  cells: (Scope | null)[][];
  /** denied[functionIndex][columnIndex]: that caller is refused (401) before the handler runs. */
  denied: boolean[][];
}

export interface FunctionSecretUse {
  name: string;
  calls: ('getSecret' | 'getCompleteSecret')[];
  /** Scope requested explicitly in the code, when a literal one was passed. */
  requestedScopes: Scope[];
  definedAt: { scope: Scope; recordName: string | null; scopeId: number | null }[];
  /** Callers (API keys, or "no key" for public functions) that would get `undefined`. */
  missingFor: { keyId: number | null; keyName: string | null; groupName: string | null }[];
  status: 'defined' | 'partial' | 'missing';
}

/** A ctx.getSecret / getCompleteSecret call whose name is not a string literal: the static scan cannot check it. */
export interface ComputedSecretCall {
  call: 'getSecret' | 'getCompleteSecret';
  line: number;
  column: number;
  /** The call as written, cut to one line. */
  text: string;
}

/** One problem `deno check` found in a handler file or a local file it imports. */
export interface CodeDiagnostic {
  /** Path relative to code/. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** Syntax and load problems stop the handler from loading (error); type errors do not (warning). */
  severity: 'error' | 'warning';
  source: 'syntax' | 'load' | 'type';
}

export interface CodeCheck {
  diagnostics: CodeDiagnostic[];
  /** False when types could not be checked (a syntax error first, uncached imports, no Deno, a timeout). */
  typeChecked: boolean;
  /** Why the check is incomplete, when it is. */
  note?: string;
}

/** Where one definition of a secret is overridden: for how many of the callers it reaches, and by which records. */
export interface SecretOverride {
  name: string;
  /** Callers (function × key, or no key) whose chain includes this definition. */
  reached: number;
  /** Of those, the callers for which a more specific scope wins. */
  overridden: number;
  overriddenBy: { scope: Scope; scopeId: number | null; recordName: string | null; groupName: string | null; callers: number }[];
}

/** A name a scope does not define but inherits from a less specific one. */
export interface InheritedSecret {
  name: string;
  secretId: number;
  from: Scope;
  fromScopeId: number | null;
  fromRecordName: string | null;
  comment: string | null;
  updatedAt: string;
}

/** Every secret one caller can see: rows = names, the scopes defining each (secret ids), the winner. */
export interface CallerOverview {
  functionId: number;
  functionName: string;
  keyId: number | null;
  keyName: string | null;
  groupId: number | null;
  groupName: string | null;
  /** False for a public function (it sees no key) or when no key was chosen. */
  keyApplies: boolean;
  note?: string;
  refused?: string;
  rows: { name: string; defined: Partial<Record<Scope, number>>; winner: Scope }[];
}

export interface SimilarNames {
  /** Names equal but for case: a different secret (names are case-sensitive), usually by mistake. */
  caseTwins: string[];
  /** Names one or two edits away, for "did you mean". */
  near: string[];
}

export interface HealthCaller {
  keyId: number | null;
  keyName: string | null;
  groupName: string | null;
}

/** The workspace report: what to fix before a deploy. */
export interface HealthReport {
  generatedAt: string;
  totals: { functions: number; names: number; namesRead: number };
  /** A name a handler reads (in its code or in its log) that some of its callers get undefined for. */
  undefinedReads: { functionId: number; functionName: string; name: string; seenIn: ('code' | 'log')[]; callers: number; missingFor: HealthCaller[] }[];
  /** Handlers whose code reads names the scan cannot see. */
  computedReads: { functionId: number; functionName: string; count: number }[];
  /** Names no handler reads, in its code or in its log: candidates to delete. */
  unreadSecrets: { name: string; definitions: number; scopes: Scope[] }[];
  /** Definitions that never answer: shadowed for every caller they reach, or reaching no caller. */
  shadowed: {
    name: string;
    secretId: number;
    scope: Scope;
    scopeId: number | null;
    recordName: string | null;
    reached: number;
    reason: 'shadowed' | 'no-caller';
    by: SecretOverride['overriddenBy'];
  }[];
  caseTwins: string[][];
  rotation: { lastRotationAt: string; nextRotationDue: string; intervalDays: number; overdue: boolean };
}

export interface CodeFile {
  path: string;
  size: number;
  modifiedAt: string;
}

export interface AppInfo {
  mode: 'electron' | 'browser';
  version: string;
  dataDir: string;
  databaseFile: string;
  keyFile: string;
  codeDir: string;
}

export const contract = {
  'app.info': query<AppInfo>()(empty),

  'groups.list': query<ApiKeyGroup[]>()(empty),
  'groups.create': command<ApiKeyGroup>()(
    z.object({ name: groupName, description: optionalText }).strict(),
  ),
  'groups.update': command<ApiKeyGroup>()(
    z.object({ id, name: groupName.optional(), description: optionalText }).strict(),
  ),
  'groups.delete': command<DeletePreview>()(byId),

  'keys.list': query<ApiKey[]>()(z.object({ groupId: id.optional() }).strict()),
  'keys.create': command<ApiKey & { value: string }>()(
    z.object({ groupId: id, name: keyName, description: optionalText }).strict(),
  ),
  'keys.update': command<ApiKey>()(
    z.object({ id, name: keyName.optional(), description: optionalText }).strict(),
  ),
  'keys.delete': command<DeletePreview>()(byId),
  'keys.reveal': query<{ id: number; value: string }>()(byId),

  'functions.list': query<FunctionDef[]>()(empty),
  'functions.get': query<FunctionDef>()(byId),
  'functions.create': command<FunctionDef>()(
    z
      .object({
        name: functionName,
        route,
        methods,
        handler: handlerPath,
        groupIds: z.array(id).max(100).optional(),
        description: optionalText,
        enabled: z.boolean().optional(),
        cors: corsConfig.nullable().optional(),
      })
      .strict(),
  ),
  'functions.update': command<FunctionDef>()(
    z
      .object({
        id,
        name: functionName.optional(),
        route: route.optional(),
        methods: methods.optional(),
        handler: handlerPath.optional(),
        groupIds: z.array(id).max(100).optional(),
        description: optionalText,
        enabled: z.boolean().optional(),
        cors: corsConfig.nullable().optional(),
      })
      .strict(),
  ),
  'functions.delete': command<DeletePreview>()(byId),
  'functions.setEnabled': command<FunctionDef>()(z.object({ id, enabled: z.boolean() }).strict()),
  'functions.logs': query<ExecutionLogEntry[]>()(
    z.object({ functionId: id, limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'functions.invoke': command<InvokeResult>()(
    z
      .object({
        functionId: id,
        method: method.optional(),
        /** Path below /run, e.g. "/users/42"; defaults to the route with no parameters filled. */
        path: z.string().max(2048).optional(),
        query: z.record(z.string().max(256), z.string().max(4096)).optional(),
        headers: z.record(z.string().max(256), z.string().max(8192)).optional(),
        body: z.string().max(1024 * 1024).optional(),
        keyId: id.nullable().optional(),
      })
      .strict(),
  ),
  'functions.secretUses': query<FunctionSecretUse[]>()(z.object({ functionId: id }).strict()),
  'functions.computedSecretCalls': query<ComputedSecretCall[]>()(z.object({ functionId: id }).strict()),

  'code.list': query<CodeFile[]>()(empty),
  /** Parses and type-checks a handler file with Deno; never runs it. */
  'code.check': query<CodeCheck>()(z.object({ path: codePath }).strict()),
  'code.read': query<{ path: string; content: string }>()(z.object({ path: codePath }).strict()),
  'code.write': command<CodeFile>()(
    z.object({ path: codePath, content: z.string().max(1024 * 1024) }).strict(),
  ),
  'code.delete': command<{ path: string }>()(z.object({ path: codePath }).strict()),

  // `limit`: only the first secrets by name, so a screen can show its first rows before the rest arrive.
  'secrets.list': query<SecretSummary[]>()(z.object({ scope, scopeId: id.nullable().optional(), limit: id.optional() }).strict()),
  'secrets.create': command<SecretSummary>()(
    z
      .object({
        name: secretName,
        value: secretValue,
        scope,
        scopeId: id.nullable().optional(),
        comment: optionalText,
      })
      .strict(),
  ),
  'secrets.update': command<SecretSummary>()(
    z.object({ id, name: secretName.optional(), value: secretValue.optional(), comment: optionalText }).strict(),
  ),
  'secrets.delete': command<{ id: number }>()(byId),
  'secrets.reveal': query<{ id: number; value: string }>()(byId),
  'secrets.names': query<string[]>()(z.object({ query: z.string().max(MAX_NAME_LENGTH).optional() }).strict()),
  'secrets.inspect': query<SecretInspection>()(z.object({ name: secretName }).strict()),
  'secrets.explain': query<SecretExplanation>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional() }).strict(),
  ),
  'secrets.resolve': query<SecretResolution>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional(), scope: scope.optional() }).strict(),
  ),
  'secrets.complete': query<CompleteSecret | null>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional() }).strict(),
  ),
  'secrets.matrix': query<ResolutionMatrix>()(
    z
      .object({
        name: secretName,
        /** Case-insensitive substring of the function's name. */
        functionFilter: z.string().max(200).optional(),
        /** Case-insensitive substring of "<group> <key>". */
        keyFilter: z.string().max(200).optional(),
        /** The window: at most this many functions (rows) and keys (columns besides "no key"). */
        maxFunctions: z.number().int().min(1).max(100_000).optional(),
        maxKeys: z.number().int().min(1).max(100_000).optional(),
        /** Leave out keys that no function in the filter accepts (they are refused everywhere). */
        acceptedOnly: z.boolean().optional(),
      })
      .strict(),
  ),
  'secrets.overrides': query<SecretOverride[]>()(z.object({ scope, scopeId: id.nullable().optional() }).strict()),
  'secrets.inherited': query<InheritedSecret[]>()(z.object({ scope, scopeId: id.nullable().optional() }).strict()),
  'secrets.callerOverview': query<CallerOverview>()(z.object({ functionId: id, keyId: id.nullable().optional() }).strict()),
  'secrets.similarNames': query<SimilarNames>()(z.object({ name: secretName }).strict()),
  'secrets.deletePreview': query<DeletePreview>()(
    z.object({ kind: z.enum(['function', 'group', 'key']), id }).strict(),
  ),

  'rotation.status': query<RotationStatus>()(empty),
  'rotation.rotateNow': command<RotationResult>()(empty),
  'rotation.setInterval': command<RotationStatus>()(
    z.object({ days: z.number().int().min(1).max(3650) }).strict(),
  ),

  'host.status': query<HostStatus>()(empty),

  'health.report': query<HealthReport>()(empty),

  'settings.get': query<Settings>()(empty),
  'settings.set': command<Settings>()(
    z
      .object({
        rotationIntervalDays: z.number().int().min(1).max(3650).optional(),
        hostPort: z.number().int().min(0).max(65535).optional(),
        logRetention: z.number().int().min(1).max(100000).optional(),
        requestTimeoutMs: z.number().int().min(100).max(600000).optional(),
        handlerMemoryMb: z.number().int().min(64).max(8192).optional(),
        handlerLocalHosts: z.array(ruled(localTargetProblem)).max(MAX_LOCAL_HOSTS).optional(),
      })
      .strict(),
  ),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<K extends OperationName> = z.input<Contract[K]['input']>;
export type OperationParsedInput<K extends OperationName> = z.output<Contract[K]['input']>;
export type OperationResult<K extends OperationName> = Exclude<Contract[K]['result'], undefined>;

export const operationNames = Object.keys(contract) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events main pushes to the renderer. */
export interface ContractEvents {
  'rotation.progress': { done: number; total: number };
  'rotation.finished': { ok: true; result: RotationResult } | { ok: false; message: string };
  'executions.new': { functionId: number; requestId: string; status: number };
  'host.status': HostStatus;
  /** A function's handler process changed phase: fetching dependencies, starting, ready… */
  'functions.runtime': { functionId: number; phase: HandlerPhase };
  'data.changed': { operation: OperationName };
  /** The Electron shell asks the window to show a screen (a hash route) or a notice (a menu, a second launch, a link). */
  'app.navigate': { route: string } | { notice: string };
}
export type EventName = keyof ContractEvents;
export const eventNames: EventName[] = [
  'rotation.progress',
  'rotation.finished',
  'executions.new',
  'host.status',
  'functions.runtime',
  'data.changed',
  'app.navigate',
];

type Namespace<K> = K extends `${infer N}.${string}` ? N : never;
type Method<K, N extends string> = K extends `${N}.${infer M}` ? M : never;

/** The typed client `window.crude` exposes: `crude.secrets.list({ scope: 'global' })`. */
export type CrudeClient = {
  [N in Namespace<OperationName>]: {
    [K in OperationName as Method<K, N>]: (input: OperationInput<K>) => Promise<OperationResult<K>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
};

/** The shape every transport answers with. */
export type RpcResponse<T> = { ok: true; data: T } | { ok: false; error: import('./types').AppErrorShape };

// The client built on this contract (window.crude) and RpcError live in client.ts, which
// imports only types from here, so the renderer and preload never evaluate zod.
