/**
 * The icons as the browser shows them: every size the manifest names is a PNG of that size in
 * the package, and the extensions page shows ours (test-output/e2e/icons-*.png; headless
 * Chromium has no toolbar to photograph, so the toolbar sizes are shown enlarged beside it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR, extensionUrl, launch, screenshot, type Session } from './harness';

let session: Session;

beforeAll(async () => {
  session = await launch({ grantedSites: [] });
});

afterAll(async () => {
  await session?.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('icons', () => {
  it('ships every size the manifest names, at that size, for the extension and its toolbar button', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { icons: Record<string, string>; action: { default_icon: Record<string, string> } };
    expect(Object.keys(manifest.icons).map(Number)).toEqual(expect.arrayContaining([16, 32, 48, 128]));
    expect(Object.keys(manifest.action.default_icon).map(Number)).toEqual(expect.arrayContaining([16, 32]));
    for (const [size, path] of [...Object.entries(manifest.icons), ...Object.entries(manifest.action.default_icon)]) {
      expect(pngSize(join(EXTENSION_DIR, path)), path).toEqual([Number(size), Number(size)]);
    }
  });

  it('shows our icon on the extensions page and at toolbar sizes', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 900, height: 420 });
    await page.goto('chrome://extensions');
    await page.waitForSelector('pierce/extensions-item');
    // The card's icon is an image inside the page's nested shadow roots: given time to load.
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot(page, 'icons-1-extensions-page');
    // The toolbar sizes, drawn by the browser from the package at 1x and enlarged 4x.
    // Drawn in an extension page, whose origin may load the package's files.
    await page.goto(extensionUrl(session, 'popup.html'));
    await page.setContent(
      `<body style="margin:16px;background:#f1f3f4;font:14px sans-serif">` +
        [16, 24, 32, 48, 128].map((s) => `<figure style="display:inline-block;margin:8px"><img src="${extensionUrl(session, `icons/icon-${s}.png`)}" width="${s}"><figcaption>${s}</figcaption></figure>`).join('') +
        `<div style="display:flex;gap:12px;align-items:center;background:#dee1e6;padding:6px 10px;width:fit-content">toolbar 1x <img src="${extensionUrl(session, 'icons/icon-16.png')}"> 2x <img src="${extensionUrl(session, 'icons/icon-32.png')}" width="16"> enlarged <img src="${extensionUrl(session, 'icons/icon-16.png')}" width="64" style="image-rendering:pixelated"></div></body>`,
    );
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, 'icons-2-sizes');
    await page.close();
  });
});
