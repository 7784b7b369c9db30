export const ELECTRON_BINDING_DIR: string;
export const ELECTRON_BINDING: string;
export const ELECTRON_BINDING_STAMP: string;
export function buildElectronBinding(options?: { force?: boolean; version?: string; dir?: string }): string | null;
