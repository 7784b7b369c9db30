// The local function host: /run routing and API keys as the platform's server has them,
// handlers in sandboxed Deno processes (runtime/), secrets per request context, execution
// log. Plain Node: runs in Electron's main process and in browser mode alike.
export { createFunctionHost, type FunctionHost, type FunctionHostOptions } from './function-host';
export { seedExamples } from './examples';
export { extractApiKey } from './api-key';
export type { HandlerRuntime, RuntimePhase } from './runtime/handler-runtime';
