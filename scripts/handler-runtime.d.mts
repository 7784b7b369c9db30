export const HANDLER_RUNTIME_ENTRY: string;
export function buildHandlerRuntime(root: string, outfile: string): Promise<string>;
