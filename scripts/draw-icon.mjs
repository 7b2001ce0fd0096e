// Draws the extension's icon (images/icon.png, 128×128) from shapes, so the image can be rebuilt and
// reviewed as code: a rounded square in deep blue, a lens whose glass holds a small route graph (an entry
// node fanning out to two Services). Each pixel is sampled 4×4 times for smooth edges.
//
//   node scripts/draw-icon.mjs [out.png] [size]
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2] ?? 'images/icon.png';
const size = Number(process.argv[3] ?? 128);
const S = size / 128; // the shapes below are laid out on a 128-unit canvas

const BG = [24, 56, 112];
const BG_EDGE = [40, 92, 170];
const LINE = [170, 205, 255];
const NODE = [255, 255, 255];
const ACCENT = [255, 196, 61];

// signed distances (negative inside)
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r,
    qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, w) => {
  const px = x - ax,
    py = y - ay,
    dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - w / 2;
};

const entry = [58, 54],
  svcA = [84, 38],
  svcB = [84, 70];
const lens = [72, 54],
  lensR = 34;

/** Colour at one point of the 128-unit canvas, or null outside the icon. */
function shade(x, y) {
  if (roundRect(x, y, 64, 64, 62, 62, 22) > 0) return null;
  const t = (x + y) / 256;
  let c = BG.map((v, i) => v + (BG_EDGE[i] - v) * t);
  const paint = (d, col) => {
    if (d <= 0) c = col;
  };
  paint(segment(x, y, ...entry, ...svcA, 5), LINE);
  paint(segment(x, y, ...entry, ...svcB, 5), LINE);
  paint(circle(x, y, ...entry, 9), ACCENT);
  paint(circle(x, y, ...svcA, 8), NODE);
  paint(circle(x, y, ...svcB, 8), NODE);
  const ring = Math.abs(circle(x, y, ...lens, lensR)) - 5;
  paint(ring, NODE);
  paint(segment(x, y, lens[0] - 25, lens[1] + 25, 22, 108, 14), NODE);
  return c;
}

const px = Buffer.alloc(size * (size * 4 + 1));
for (let j = 0; j < size; j++) {
  px[j * (size * 4 + 1)] = 0; // filter: none
  for (let i = 0; i < size; i++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const c = shade((i + (sx + 0.5) / 4) / S, (j + (sy + 0.5) / 4) / S);
        if (c) {
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
    const o = j * (size * 4 + 1) + 1 + i * 4;
    if (a) {
      px[o] = Math.round(r / a);
      px[o + 1] = Math.round(g / a);
      px[o + 2] = Math.round(b / a);
    }
    px[o + 3] = Math.round((a / 16) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(px, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${size}×${size}, ${png.length} bytes`);
