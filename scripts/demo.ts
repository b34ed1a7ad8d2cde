/**
 * The main job for a newcomer on a machine with no display: serves the bundled demo article
 * on 127.0.0.1, launches Chromium with the built extension, waits for the highlights, and
 * writes into demo-output/: a screenshot of the page, one of the popup, and a text report of
 * what was highlighted and why.
 *
 *   npm run demo            (builds first)
 *   npm run demo -- --page path/to/page.html --interests "rivers, floods"
 *
 * The learner of the demo states interests (as at onboarding), so the report shows
 * information gain in bits; `--interests ""` shows the level-only choice of a new learner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ROOT, ask, extensionUrl, highlightCounts, launch, serve } from '../tests/e2e/harness';
import { openExtensionPage } from '../tests/e2e/lib/extension-pages';
import { waitForHighlights } from '../tests/e2e/lib/page-probes';

const args = process.argv.slice(2);
const pageArg = args.includes('--page') ? args[args.indexOf('--page') + 1] : undefined;
const pageFile = resolve(pageArg ?? join(ROOT, 'tests/fixtures/article.html'));
const interestsArg = args.includes('--interests') ? args[args.indexOf('--interests') + 1] ?? '' : 'rivers and floods, city planning';
const interests = interestsArg.split(',').map((s) => s.trim()).filter(Boolean);
const outDir = join(ROOT, 'demo-output');
mkdirSync(outDir, { recursive: true });

const server = await serve(dirname(pageFile));
// The demo site (127.0.0.1) is granted as if the learner had turned the extension on for it;
// the build as shipped asks for no site at install (see harness buildWithGrantedSites).
const session = await launch();
try {
  const url = `${server.origin}/${basename(pageFile)}`;
  const control = await openExtensionPage(session);
  await ask(control, 'settings.update', { patch: { interests } });
  await control.close();
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitForHighlights(page, 60_000);
  const firstHighlightMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: join(outDir, 'page.png') });

  const popup = await session.browser.newPage();
  await popup.setViewport({ width: 340, height: 420 });
  await popup.goto(extensionUrl(session, 'popup.html'));
  await popup.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && document.body.innerText.length > 40);
  await popup.screenshot({ path: join(outDir, 'popup.png'), fullPage: true });

  const value = await ask(popup, 'page.summary', { url });
  const counts = await highlightCounts(page);
  const lines = [
    `Attention Reader demo — ${new Date().toISOString()}`,
    `Page: ${pageFile}`,
    `Served at: ${url}`,
    `First highlight after ${firstHighlightMs} ms (from navigation start, cold profile).`,
    `Stated interests: ${interests.length ? interests.join('; ') : '(none: passages chosen for their level)'}`,
    `Highlight ranges by tier: ${JSON.stringify(counts)}`,
    '',
  ];
  lines.push(`${value.highlights.length} of ${value.paragraphs} paragraphs highlighted.${value.notice ? ` The page says: ${value.notice.text} [${value.notice.code}]` : ''}`, '');
  for (const h of value.highlights) {
    lines.push(`[tier ${h.tier}] gain ${h.gainBits.toFixed(2)} bits · fit ${h.fit.toFixed(2)} · ${h.loadMinutes.toFixed(1)} min`);
    lines.push(`  “${h.text.slice(0, 140)}${h.text.length > 140 ? '…' : ''}”`);
    lines.push(`  why: ${h.reason}`, '');
  }
  // Every passage left out, with its reason.
  if (value.leftOut.length) lines.push(`Not highlighted (${value.leftOut.length}):`);
  for (const l of value.leftOut) {
    lines.push(`[${l.reason}] “${l.text.slice(0, 100)}${l.text.length > 100 ? '…' : ''}”`, `  why not: ${l.line}`);
  }
  writeFileSync(join(outDir, 'report.txt'), lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`Screenshots: ${join(outDir, 'page.png')}, ${join(outDir, 'popup.png')}`);
} finally {
  await session.close();
  await server.close();
}
