import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import { openCore } from '../src/main/core';
import { bulkInsertSecrets } from '../test/support/bulk';
import { tempDir } from '../test/support/temp-core';
import { fmt, percentile, type Row } from './stats';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** 10,000 secrets, 500 functions, 1,000 keys, and one name defined at many records for the matrix. */
function seed(dir: string): void {
  const core = openCore({ dataDir: dir });
  const groups = Array.from({ length: 20 }, (_, i) => core.groups.create({ name: `team-${i}` }));
  const keys = Array.from({ length: 1000 }, (_, i) => core.keys.create({ groupId: groups[i % 20]!.id, name: `svc-${i}` }));
  const fns = Array.from({ length: 500 }, (_, i) =>
    core.functions.create({ name: `fn-${i}`, route: `/fn-${i}`, methods: ['GET'], handler: `fn-${i}.ts`, groupIds: i % 2 ? [groups[i % 20]!.id] : [] }),
  );
  core.secrets.create({ name: 'UI_BENCH', value: 'g', scope: 'global' });
  fns.filter((_, i) => i % 10 === 0).forEach((f) => core.secrets.create({ name: 'UI_BENCH', value: 'f', scope: 'function', scopeId: f.id }));
  groups.filter((_, i) => i % 4 === 0).forEach((g) => core.secrets.create({ name: 'UI_BENCH', value: 'gr', scope: 'group', scopeId: g.id }));
  keys.filter((_, i) => i % 10 === 0).forEach((k) => core.secrets.create({ name: 'UI_BENCH', value: 'k', scope: 'key', scopeId: k.id }));
  core.close();
  bulkInsertSecrets(dir, 10_000);
}

function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/serve.js', '--data-dir', dir, '--port', '0', '--host-port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const info = JSON.parse(line) as { adminUrl: string; token: string };
      resolve({ child, url: `${info.adminUrl}#token=${info.token}` });
    });
  });
}

// Times are taken in the page (performance.now(), whose origin is the navigation start),
// not around Playwright's calls: each of those adds its own round trips to the browser.

/** Installed in the page: resolves with the time of the frame after every one of `selectors` has appeared. */
function armPainted(selectors: string[]): void {
  const w = window as unknown as { __painted?: Promise<number> };
  w.__painted = new Promise((resolve) => {
    const found = () => {
      if (!selectors.every((s) => document.querySelector(s))) return false;
      // The second frame callback runs once the frame showing the element has been produced.
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
      return true;
    };
    if (found()) return;
    const mo = new MutationObserver(() => {
      if (found()) mo.disconnect();
    });
    mo.observe(document, { subtree: true, childList: true });
  });
}

/** Installed in the page: remembers when the next event of `type` happened (event time, same origin). */
function armEvent(type: string): void {
  const w = window as unknown as { __acted?: Promise<number> };
  w.__acted = new Promise((resolve) => document.addEventListener(type, (e) => resolve(e.timeStamp), { capture: true, once: true }));
}

const readPainted = (page: Page) => page.evaluate(() => (window as unknown as { __painted: Promise<number> }).__painted);
const readActed = (page: Page) => page.evaluate(() => (window as unknown as { __acted: Promise<number> }).__acted);

/** From navigation start to the frame painting the first of each of `selectors`. */
async function timeNavigation(page: Page, url: string, ...selectors: string[]): Promise<number> {
  await page.addInitScript(armPainted, selectors);
  await page.goto(url);
  return readPainted(page);
}

/** From the `event` (click, input) `act` causes to the frame painting the first of each of `selectors`. */
async function timeAction(page: Page, event: string, act: () => Promise<unknown>, ...selectors: string[]): Promise<number> {
  await page.evaluate(armPainted, selectors);
  await page.evaluate(armEvent, event);
  await act();
  const painted = await readPainted(page);
  return painted - (await readActed(page));
}

async function nav(page: Page, label: string) {
  // Navigation items are links since each screen has its URL (issue 16).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}

/** Scrolls the virtualized secrets table for ~2 s, counting frames and the longest gap between them. */
function scrollFrames(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ frames: number; longest: number; dropped: number }>((resolve) => {
        const body = document.querySelector('[aria-label="Global secrets"] .table-body') as HTMLElement;
        let last = performance.now();
        let frames = 0;
        let longest = 0;
        let dropped = 0;
        const end = last + 2000;
        const step = (now: number) => {
          const gap = now - last;
          last = now;
          frames++;
          longest = Math.max(longest, gap);
          if (gap > 50) dropped++;
          body.scrollTop += 400;
          if (now < end) requestAnimationFrame(step);
          else resolve({ frames, longest, dropped });
        };
        requestAnimationFrame(step);
      }),
  );
}

/**
 * Chromium against browser mode with 10,000 secrets, 500 functions and 1,000 keys: from
 * navigation to the painted secrets table, scope tree and inspector with its matrix, and
 * frames while scrolling. Absolute times (no same-run baseline exists for a UI).
 */
export async function uiBench(runs = Number(process.env.UI_BENCH_RUNS ?? 5)): Promise<Row[]> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!executablePath) {
    return [{ benchmark: 'ui', measure: 'skipped: no Chromium (apt-get install -y chromium)', value: '—', baseline: '—', ratio: '—', goal: '—', met: null }];
  }
  if (!existsSync('out/main/serve.js')) spawnSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const t = tempDir('crude-bench-ui-');
  seed(t.dir);
  const { child, url } = await serve(t.dir);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const table: number[] = [];
    const tree: number[] = [];
    const inspector: number[] = [];
    let scroll = { frames: 0, longest: 0, dropped: 0 };
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      table.push(await timeNavigation(page, url, '[aria-label="Global secrets"] .table-row'));
      // Scroll once every secret is there (the first page is shown before the rest arrives).
      await page.getByText(/^10,001 secrets$/).waitFor({ timeout: 180_000 });
      if (r === runs - 1) scroll = await scrollFrames(page);
      tree.push(await timeAction(page, 'click', () => nav(page, 'Scope tree'), '[role="treeitem"]'));
      await nav(page, 'Inspector');
      // Typing a name the picker knows (as choosing it from the suggestions does) inspects it,
      // once the suggestions have loaded.
      await page.locator('form.name-picker datalist option').first().waitFor({ state: 'attached' });
      inspector.push(
        await timeAction(page, 'input', () => page.getByLabel('Secret name').fill('UI_BENCH'), '[data-testid="chain-winner"]', 'table.matrix tbody tr.matrix-row'),
      );
      await page.close();
    }
    const med = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
    return [
      { benchmark: 'ui', measure: `navigation start → secrets table painted (ms, in page, median of ${runs})`, value: fmt(med(table), 0), baseline: '—', ratio: '—', goal: '≤ 300 ms', met: med(table) <= 300 },
      { benchmark: 'ui', measure: 'click → scope tree painted (ms)', value: fmt(med(tree), 0), baseline: '—', ratio: '—', goal: '—', met: null },
      { benchmark: 'ui', measure: 'name typed → definitions, chain and 500 × 1,001 matrix painted (ms)', value: fmt(med(inspector), 0), baseline: '—', ratio: '—', goal: '≤ 300 ms', met: med(inspector) <= 300 },
      {
        benchmark: 'ui',
        measure: 'scrolling 10,000 rows for 2 s: frames, longest gap ms, gaps > 50 ms',
        value: `${scroll.frames}, ${fmt(scroll.longest, 0)}, ${scroll.dropped}`,
        baseline: '—',
        ratio: '—',
        goal: 'no dropped frames',
        met: scroll.dropped === 0,
      },
    ];
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    t.cleanup();
  }
}
