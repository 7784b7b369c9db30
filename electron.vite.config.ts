import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three builds from one config:
//  - main: the Electron shell (index), browser mode (serve) and the handler worker,
//    all on plain Node except index; dependencies stay external (native better-sqlite3).
//  - preload: CommonJS, as sandboxed preloads require.
//  - renderer: the React app, identical in the Electron window and in browser mode.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          serve: resolve(__dirname, 'src/main/serve.ts'),
          'handler-worker': resolve(__dirname, 'src/main/core/host/worker/handler-worker.ts'),
          'rotation-worker': resolve(__dirname, 'src/main/core/rotation/rotation-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; parsing 2 MB of JS was a third of the
      // time to the first painted table (docs/benchmarks.md).
      minify: true,
      // The lazily loaded CodeMirror chunk is ~500 kB; the first bundle is under it.
      chunkSizeWarningLimit: 600,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
