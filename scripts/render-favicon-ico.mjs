#!/usr/bin/env node
/**
 * Renders dashboard/public/favicon.ico from favicon.svg: 16, 32 and 48 px PNGs drawn by Chromium,
 * in one ICO file. Browsers that read the SVG icon never fetch it; the others (Safari, and any
 * browser asking for /favicon.ico on its own) get the same mark instead of a 404.
 *
 *   node scripts/render-favicon-ico.mjs   (needs /usr/bin/chromium)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '../dashboard/public');
const svg = readFileSync(join(publicDir, 'favicon.svg'), 'utf8');
const SIZES = [16, 32, 48];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
const pngs = [];
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    pngs.push(await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
  }
} finally {
  await browser.close();
}

// ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes) per image, then the PNGs (Windows Vista's PNG icons).
const header = Buffer.alloc(6 + 16 * pngs.length);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // type: icon
header.writeUInt16LE(pngs.length, 4);
let offset = header.length;
pngs.forEach((png, index) => {
  const entry = 6 + 16 * index;
  header.writeUInt8(SIZES[index], entry); // width (0 would mean 256)
  header.writeUInt8(SIZES[index], entry + 1); // height
  header.writeUInt8(0, entry + 2); // no palette
  header.writeUInt8(0, entry + 3); // reserved
  header.writeUInt16LE(1, entry + 4); // colour planes
  header.writeUInt16LE(32, entry + 6); // bits per pixel
  header.writeUInt32LE(png.length, entry + 8);
  header.writeUInt32LE(offset, entry + 12);
  offset += png.length;
});
writeFileSync(join(publicDir, 'favicon.ico'), Buffer.concat([header, ...pngs]));
console.log(`dashboard/public/favicon.ico: ${SIZES.join(', ')} px, ${offset} bytes`);
