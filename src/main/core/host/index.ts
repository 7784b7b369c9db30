// The local function host: /run routing, API key checks, isolated handler workers,
// secrets per request context, execution log. Plain Node: runs in Electron's main
// process and in browser mode alike.
export { createFunctionHost, type FunctionHost, type FunctionHostOptions } from './function-host';
export { seedExamples } from './examples';
export { extractApiKey } from './api-key';
