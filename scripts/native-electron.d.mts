export const ELECTRON_BINDING: string;
export function buildElectronBinding(options?: { force?: boolean }): string | null;
