#!/usr/bin/env node
// Static scan of the Electron shell and preload with Electronegativity; fails on any
// HIGH severity finding. It runs with scripts/electronegativity-hook.cjs preloaded, because
// its parser (typescript-estree) would otherwise load this project's TypeScript 7, which
// has no JS API.
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
const electronVersion = require('electron/package.json').version;
const out = path.join(root, 'node_modules/.cache/electronegativity.csv');
fs.mkdirSync(path.dirname(out), { recursive: true });

let failed = false;
// One scan over src/: the global checks (CSP, navigation limits) look across main, preload
// and the renderer's index.html together.
for (const target of ['src']) {
  fs.rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    ['-r', path.join(__dirname, 'electronegativity-hook.cjs'), cli, '-i', path.join(root, target), '-o', out, '-r', '-v', 'false', '-e', electronVersion],
    { encoding: 'utf8' },
  );
  if (!fs.existsSync(out)) {
    console.error(`electronegativity could not scan ${target}:\n${r.stderr}`);
    failed = true;
    continue;
  }
  const rows = fs.readFileSync(out, 'utf8').split('\n').slice(1).filter(Boolean);
  const high = rows.filter((row) => /,"?HIGH"?,/.test(row));
  console.log(`electronegativity ${target}: ${rows.length} finding(s), ${high.length} of HIGH severity`);
  for (const row of rows) console.log(`  ${row.split(',').slice(0, 5).join(' ')}`);
  if (high.length) failed = true;
}
process.exit(failed ? 1 : 0);
