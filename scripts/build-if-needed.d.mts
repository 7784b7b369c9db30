export const root: string;
export function isStale(): boolean;
export function buildIfNeeded(options?: { force?: boolean }): void;
