/**
 * The main job for a newcomer on a machine with no display: serves the bundled demo article
 * on 127.0.0.1, launches Chromium with the built extension, waits for the highlights, and
 * writes into demo-output/: a screenshot of the page, one of the popup, and a text report of
 * what was highlighted and why.
 *
 *   npm run demo            (checks its arguments, then builds)
 *   npm run demo -- --page path/to/page.html --interests "rivers, floods"
 *   npm run demo -- --help
 *
 * The learner of the demo states interests (as at onboarding), so the report shows
 * information gain in bits; `--interests ""` shows the level-only choice of a new learner.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ROOT, ask, highlightCounts, launch, serve } from '../tests/e2e/harness';
import { openExtensionPage } from '../tests/e2e/lib/extension-pages';
import { TIER_PATTERN, waitForSettledHighlights } from '../tests/e2e/lib/page-probes';
import { waitForOutcome } from './demo-outcome';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs } from './demo-args';
import { capturePopupOver } from './demo-popup';

/** How long the page may take to be read (a cold start on a slow machine included). */
const PAGE_TIMEOUT_MS = 60_000;
/** The highlights count as settled once unchanged this long. */
const SETTLE_MS = 1500;

const { pageFile, interests } = demoArguments();
buildExtension();
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
  // Opened before the article, so that opening it does not count in the article's time.
  const watching = await openExtensionPage(session);
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // The first highlight, or, on a page with nothing for this learner, the page's line saying
  // why (it comes once the whole page is judged): either way the page has been read.
  const outcome = await waitForOutcome(
    {
      hasHighlights: () => page.evaluate((tier: string) => [...CSS.highlights].some(([name, h]) => new RegExp(tier).test(name) && h.size > 0), TIER_PATTERN.source),
      summary: () => ask(watching, 'page.summary', { url }),
    },
    { timeoutMs: PAGE_TIMEOUT_MS },
  );
  // With another extension page open, headless Chromium never delivered the popup's picture.
  await watching.close();
  const firstHighlightMs = outcome === 'highlight' ? Date.now() - started : null;
  // The rest of the page follows its first screen: the report is of the page once settled.
  if (outcome !== 'timeout') await waitForSettledHighlights(page, SETTLE_MS, PAGE_TIMEOUT_MS);
  await page.screenshot({ path: join(outDir, 'page.png') });

  await capturePopupOver(session, page, join(outDir, 'popup.png'));

  const summaryPage = await openExtensionPage(session);
  const value = await ask(summaryPage, 'page.summary', { url });
  const counts = await highlightCounts(page);
  const lines = [
    `Attention Reader demo — ${new Date().toISOString()}`,
    `Page: ${pageFile}`,
    `Served at: ${url}`,
    firstHighlightMs !== null
      ? `First highlight after ${firstHighlightMs} ms (from navigation start, cold profile).`
      : outcome === 'notice'
        ? 'Nothing highlighted on this page (its line below says why).'
        : `Nothing highlighted and no line from the page after ${PAGE_TIMEOUT_MS / 1000} s: ${value.known ? 'the page was not read to its end' : 'no readable paragraphs were found on it'}.`,
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
  if (outcome === 'timeout') process.exitCode = 1;
} finally {
  await session.close();
  await server.close();
}

/** The command line, checked before any browser starts: help or a one-line error exit here. */
function demoArguments(): { pageFile: string; interests: string[] } {
  try {
    const parsed = parseDemoArgs(process.argv.slice(2), join(ROOT, 'tests/fixtures/article.html'));
    if (parsed === 'help') {
      console.log(DEMO_USAGE);
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    if (!(e instanceof DemoUsageError)) throw e;
    console.error(`demo: ${e.message}\nRun "npm run demo -- --help" for the options.`);
    process.exit(2);
  }
}

/** The Chrome build the demo runs, made after the arguments were found good (a minute or so). */
function buildExtension(): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build:chrome'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    console.error('demo: the build failed (its output is above).');
    process.exit(1);
  }
}
