// Vite (electron-vite build, Vitest) and scripts/bundle-node.mjs load `?raw` imports as text.
declare module '*?raw' {
  const text: string;
  export default text;
}
