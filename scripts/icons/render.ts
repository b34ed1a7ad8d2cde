/**
 * Renders the extension's icon (scripts/icons/icon.svg, drawn for this project) to the PNG
 * sizes the browsers and stores ask for, at build time (wxt.config.ts). Rendering uses sharp
 * (libvips with librsvg), which ships prebuilt in its npm package: no download, no browser.
 *
 * Small sizes (toolbar, 16-32 px) fill the square; from 48 px on the art sits inside the
 * transparent margin the Chrome Web Store asks for (96 px of art in a 128 px icon).
 */
import { mkdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const ICON_SOURCE = join(import.meta.dirname, 'icon.svg');
export const ICON_OUT_DIR = join(import.meta.dirname, 'generated');

/** In the package: the toolbar (16, 24, 32 for 1x-2x), the extensions page and permission prompt (48), Firefox's add-on manager (64, 96), the stores and install dialogs (128). */
export const PACKAGE_ICON_SIZES = [16, 24, 32, 48, 64, 96, 128] as const;
/** Outside the package: the Edge Add-ons store logo (300 x 300). */
export const STORE_ICON_SIZES = [300] as const;

/** The art is drawn in a 96-unit box; this many units of margin each side at large sizes. */
const MARGIN = 16;

export function iconFile(size: number): string {
  return join(ICON_OUT_DIR, `icon-${size}.png`);
}

/** Renders every size whose PNG is missing or older than the SVG; returns the sizes rendered. */
export async function renderIcons(sizes: readonly number[] = [...PACKAGE_ICON_SIZES, ...STORE_ICON_SIZES]): Promise<number[]> {
  const svg = readFileSync(ICON_SOURCE, 'utf8');
  const sourceTime = statSync(ICON_SOURCE).mtimeMs;
  mkdirSync(ICON_OUT_DIR, { recursive: true });
  const rendered: number[] = [];
  for (const size of sizes) {
    const out = iconFile(size);
    if (existsSync(out) && statSync(out).mtimeMs >= sourceTime) continue;
    const margin = size >= 48 ? MARGIN : 0;
    const box = 96 + 2 * margin;
    const framed = svg.replace(/viewBox="[^"]*"/, `viewBox="${-margin} ${-margin} ${box} ${box}"`).replace(/ width="96" height="96"/, '');
    // Rasterise at four times the target and scale down: smoother edges at 16 px.
    await sharp(Buffer.from(framed), { density: (72 * size * 4) / box }).resize(size, size).png({ compressionLevel: 9 }).toFile(out);
    rendered.push(size);
  }
  return rendered;
}
