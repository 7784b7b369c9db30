// Worker-thread entries that every bundle of main must ship beside itself as <name>.js:
// electron-vite (out/main), scripts/run-ts.mjs (bench) and the test child bundles.
// core's workerScript() finds them there; from source (Vitest) it bundles them itself.
export const WORKER_ENTRIES = {
  'rotation-worker': 'src/main/core/rotation/rotation-worker.ts',
};
