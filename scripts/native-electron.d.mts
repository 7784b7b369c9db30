export const ELECTRON_BINDING: string;
export function buildElectronBinding(options?: { force?: boolean }): string | null;
export const ELECTRON_BINDING_STAMP: string;
