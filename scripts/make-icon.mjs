// The app icon (resources/build/icon.png, 512x512): a 3x3 grid with its centre lit, drawn
// without any image library. Run: node scripts/make-icon.mjs resources/build/icon.png
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const S = 512, r = 96;
const px = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
  px[y * (S * 4 + 1)] = 0;
  for (let x = 0; x < S; x++) {
    const o = y * (S * 4 + 1) + 1 + x * 4;
    // rounded square
    const cx = Math.min(Math.max(x, r), S - 1 - r), cy = Math.min(Math.max(y, r), S - 1 - r);
    const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
    if (!inside) { px.writeUInt32BE(0, o); continue; }
    let c = [0x1d, 0x4e, 0xd8, 255];
    // 3x3 grid of cells in the middle
    const g0 = 112, g1 = 400, step = (g1 - g0) / 3, line = 14;
    if (x >= g0 && x <= g1 && y >= g0 && y <= g1) {
      const onV = [0, 1, 2, 3].some((k) => Math.abs(x - (g0 + k * step)) < line / 2);
      const onH = [0, 1, 2, 3].some((k) => Math.abs(y - (g0 + k * step)) < line / 2);
      if (onV || onH) c = [255, 255, 255, 255];
      // the centre cell lit: the command deck's focus
      else if (x > g0 + step && x < g0 + 2 * step && y > g0 + step && y < g0 + 2 * step) c = [0xf5, 0xa6, 0x23, 255];
    }
    px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = c[3];
  }
}
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td)); return Buffer.concat([len, td, crc]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
writeFileSync(process.argv[2], Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
