export function electronPackageDir(): string | null;
export function electronVersion(): string | null;
export function findElectronRuntime(env?: Record<string, string | undefined>): string | null;
export function electronRuntimeVersion(env?: Record<string, string | undefined>): string | null;
export function runningAsRoot(): boolean;
export function electronLaunch(
  appArgs: readonly string[],
  options?: { env?: Record<string, string | undefined>; asRoot?: boolean },
): { args: string[]; env: Record<string, string | undefined> };
