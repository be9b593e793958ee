// Node: renders the extension's icons (public/icon/{16,32,48,128}.png) from an inline SVG with sharp.
// The PNGs are committed; rerun `npm run icons` after changing the mark.
//
// The mark: a #1a73e8 rounded square with a white smiling face. Sizes of 32 px and up draw the face
// as an outline (circle, eyes, smile); at 16 px a thin circle would blur into the background, so the
// small variant drops the circle and draws bigger eyes and a thicker smile that fill the square.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { REPO_ROOT } from './lib/paths';

const ICON_SIZES = [16, 32, 48, 128] as const;
const ICON_DIR = join(REPO_ROOT, 'public', 'icon');

const BLUE = '#1a73e8';

/** The mark on a 128-unit grid; `small` is the 16 px variant. */
function iconSvg(size: number): string {
  const small = size <= 16;
  const face = small
    ? // One 16 px pixel is 8 units: the eyes are 2x2 px squares on whole pixels, the smile 2 px thick.
      `<rect x="32" y="40" width="16" height="16" rx="3" fill="#fff"/>
       <rect x="80" y="40" width="16" height="16" rx="3" fill="#fff"/>
       <path d="M28 76 Q64 112 100 76" fill="none" stroke="#fff" stroke-width="16" stroke-linecap="round"/>`
    : `<circle cx="64" cy="64" r="40" fill="none" stroke="#fff" stroke-width="${size <= 32 ? 11 : 9}"/>
       <circle cx="50" cy="55" r="${size <= 32 ? 7 : 6}" fill="#fff"/>
       <circle cx="78" cy="55" r="${size <= 32 ? 7 : 6}" fill="#fff"/>
       <path d="M46 74 Q64 92 82 74" fill="none" stroke="#fff" stroke-width="${size <= 32 ? 10 : 8}" stroke-linecap="round"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">
    <rect x="0" y="0" width="128" height="128" rx="28" ry="28" fill="${BLUE}"/>
    ${face}
  </svg>`;
}

async function makeIcons(outDir = ICON_DIR): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const size of ICON_SIZES) {
    const file = join(outDir, `${size}.png`);
    // Rasterize at 8x and downscale: librsvg's own antialiasing is coarse at 16 px.
    const big = await sharp(Buffer.from(iconSvg(size)), { density: 72 * 8 }).png().toBuffer();
    await sharp(big).resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 9 }).toFile(file);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const file of await makeIcons()) console.log(`wrote ${file}`);
}
