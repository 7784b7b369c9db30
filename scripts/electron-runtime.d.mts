export function electronPackageDir(): string | null;
export function electronVersion(): string | null;
export function findElectronRuntime(env?: Record<string, string | undefined>): string | null;
