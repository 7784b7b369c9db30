import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { buildHandlerRuntime } from './scripts/handler-runtime.mjs';

/** The Deno handler runtime, bundled with Hono, beside main's entries (Deno cannot resolve npm packages from out/). */
function handlerRuntime(): Plugin {
  return {
    name: 'crude:handler-runtime',
    apply: 'build',
    async closeBundle() {
      await buildHandlerRuntime(__dirname, resolve(__dirname, 'out/main/handler-runtime.js'));
    },
  };
}

/**
 * The entry loads the app chunk with import() so that the first request to main starts
 * before the app is evaluated (src/renderer/src/main.tsx). This makes the browser fetch
 * and compile that chunk alongside the entry instead of after it.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'crude:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/shell/mount.tsx'),
        );
        if (!chunk) throw new Error('preloadAppChunk: the app chunk (shell/mount.tsx) is missing from the build');
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `./${chunk.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

// Three builds from one config:
//  - main: the Electron shell (index), browser mode (serve) and the rotation worker, all
//    on plain Node except index; dependencies stay external (native better-sqlite3). The
//    Deno handler runtime is bundled beside them by its own plugin.
//  - preload: CommonJS, as sandboxed preloads require.
//  - renderer: the React app, identical in the Electron window and in browser mode.
export default defineConfig({
  main: {
    plugins: [handlerRuntime()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          serve: resolve(__dirname, 'src/main/serve.ts'),
          'rotation-worker': resolve(__dirname, 'src/main/core/rotation/rotation-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': bundle anything it imports.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), preloadAppChunk()],
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
