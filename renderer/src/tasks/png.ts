// A small palette PNG, for photos that must fit in a few hundred characters (photos.ts):
// the browser's own encoders spend more than that on headers alone (a 16×12 WebP is
// ~780 characters as a data: URL). Colours are reduced to a palette of at most 16
// (k-means over the few hundred pixels), four bits a pixel, deflated by the caller's
// zlib (the browser's CompressionStream('deflate'), Node's zlib in tests).
export type Deflate = (bytes: Uint8Array) => Promise<Uint8Array>;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** At most `k` colours for the RGBA pixels: a palette (RGB triples) and each pixel's index in it. */
export function quantize(rgba: Uint8ClampedArray, k: number): { palette: number[][]; indices: Uint8Array } {
  const n = rgba.length / 4;
  const px = (i: number): number[] => [rgba[i * 4] as number, rgba[i * 4 + 1] as number, rgba[i * 4 + 2] as number];
  // Start from pixels spread over the picture, then a few rounds of k-means.
  let palette = Array.from({ length: Math.min(k, n) }, (_, j) => px(Math.floor((j * n) / Math.min(k, n))));
  const indices = new Uint8Array(n);
  for (let round = 0; round < 6; round++) {
    const sums = palette.map(() => [0, 0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const p = px(i);
      let best = 0;
      let bestD = Infinity;
      palette.forEach((c, j) => {
        const d = (p[0]! - c[0]!) ** 2 + (p[1]! - c[1]!) ** 2 + (p[2]! - c[2]!) ** 2;
        if (d < bestD) [best, bestD] = [j, d];
      });
      indices[i] = best;
      const s = sums[best] as number[];
      s[0]! += p[0]!;
      s[1]! += p[1]!;
      s[2]! += p[2]!;
      s[3]! += 1;
    }
    palette = palette.map((c, j) => {
      const s = sums[j] as number[];
      return s[3]! > 0 ? [Math.round(s[0]! / s[3]!), Math.round(s[1]! / s[3]!), Math.round(s[2]! / s[3]!)] : c;
    });
  }
  return { palette, indices };
}

/** The PNG (colour type 3, four bits a pixel) of `width`×`height` RGBA pixels with at most `colors` (≤ 16) colours. */
export async function palettePng(rgba: Uint8ClampedArray, width: number, height: number, colors: number, deflate: Deflate): Promise<Uint8Array> {
  const { palette, indices } = quantize(rgba, Math.min(16, Math.max(2, colors)));
  const stride = Math.ceil(width / 2);
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (stride + 1) + 1 + (x >> 1);
      raw[at] = (raw[at] as number) | ((indices[y * width + x] as number) << (x % 2 === 0 ? 4 : 0));
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([4, 3, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('PLTE', new Uint8Array(palette.flat())),
    chunk('IDAT', await deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** base64 of bytes, in the browser and in Node alike. */
export function base64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}
