// Checks every screen must pass: axe-core finds no violation of impact serious or
// critical, and at a laptop's 1024 px nothing scrolls sideways or sticks out of the window.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const BLOCKING = new Set(['serious', 'critical']);

/** Violations of impact serious or critical, one line per rule and node (empty: none). */
export async function axeScan(page: Page, where: string): Promise<string[]> {
  // Wait for the screen to settle (fonts, a dimmed stale view) so colours are the final ones.
  await page.waitForFunction(() => !document.querySelector('.stale, [aria-busy="true"]'), null, { timeout: 15_000 }).catch(() => {});
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const lines: string[] = [];
  for (const v of result.violations) {
    if (!BLOCKING.has(v.impact ?? '')) continue;
    for (const n of v.nodes) {
      const why = (n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? v.help;
      lines.push(`${where}: [${v.impact}] ${v.id} at ${n.target.join(' ')} — ${why}`);
    }
  }
  return lines;
}

/**
 * At this width nothing may scroll horizontally: not the page, not the main area, not a
 * table's body; and no button, link or field may stick out past the window's right edge.
 * (The resolution matrix and code editor scroll on purpose, in both directions.)
 */
export async function noSidewaysScroll(page: Page, where: string): Promise<string[]> {
  return page.evaluate((where) => {
    const out: string[] = [];
    const width = window.innerWidth;
    const allowed = (el: Element) => Boolean(el.closest('.matrix-scroll, .cm-editor, pre, .dialog-body .preview-list'));
    for (const el of [document.scrollingElement, document.getElementById('main'), ...document.querySelectorAll('.table, .table-body, .screen, .panel, .dialog-body')]) {
      if (!el || allowed(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${where}: ${describe(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
    for (const el of document.querySelectorAll('#main button, #main a[href], #main input, #main select, dialog[open] button, [role="columnheader"]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || allowed(el) || el.closest('.sr-only')) continue;
      if (r.right > width + 1) out.push(`${where}: ${describe(el)} ends at ${Math.round(r.right)} px, past the window (${width} px)`);
      // Cut off by a cell or a header that hides its overflow.
      const clip = el.closest('[role="cell"], [role="columnheader"]');
      const cr = clip?.getBoundingClientRect();
      if (clip && cr && el !== clip && (r.right > cr.right + 1 || r.left < cr.left - 1)) {
        out.push(`${where}: ${describe(el)} is clipped by its cell`);
      }
    }
    for (const h of document.querySelectorAll('[role="columnheader"]')) {
      const inner = h.firstElementChild as HTMLElement | null;
      if (inner && inner.scrollWidth > h.clientWidth + 1) out.push(`${where}: header "${h.textContent}" runs into the next (${inner.scrollWidth} > ${h.clientWidth})`);
    }
    return out;

    function describe(el: Element): string {
      const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}> "${label}"`;
    }
  }, where);
}
