export const root: string;
export const OUTPUTS: readonly string[];
export function isStale(): boolean;
export function buildIfNeeded(options?: { force?: boolean }): void;
