import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../core/events/commands';
import { PHOTO_MAX_CHARS, browserDeflate as deflate, fitPhoto, type Encode } from './photos';
import { base64, palettePng, quantize } from './png';

const inflate = async (bytes: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());

/** A photo-like picture: a gradient with some noise. */
function picture(w: number, h: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const x = i % w;
    const y = Math.floor(i / w);
    px.set([(x * 255) / w + ((i * 37) % 23), (y * 255) / h, 120 + ((i * 11) % 30), 255], i * 4);
  }
  return px;
}

const pngEncode = (calls: Array<[number, number, number]> = []): Encode => async (w, h, colors) => {
  calls.push([w, h, colors]);
  return `data:image/png;base64,${base64(await palettePng(picture(w, h), w, h, colors, deflate))}`;
};

describe('palettePng', () => {
  it('writes a PNG of the size asked, four bits a pixel, with its palette', async () => {
    const png = await palettePng(picture(5, 3), 5, 3, 4, deflate);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const ascii = (from: number, to: number) => String.fromCharCode(...png.subarray(from, to));
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(ascii(12, 16)).toBe('IHDR');
    expect(view.getUint32(16)).toBe(5);
    expect(view.getUint32(20)).toBe(3);
    expect([png[24], png[25]]).toEqual([4, 3]);
    expect(ascii(37, 41)).toBe('PLTE');
    const plte = view.getUint32(33);
    expect(plte % 3).toBe(0);
    expect(plte / 3).toBeLessThanOrEqual(4);
    const idatAt = 33 + 12 + plte;
    expect(ascii(idatAt + 4, idatAt + 8)).toBe('IDAT');
    const raw = await inflate(png.subarray(idatAt + 8, idatAt + 8 + view.getUint32(idatAt)));
    expect(raw.length).toBe((Math.ceil(5 / 2) + 1) * 3);
  });

  it('quantizes to the colours there are', () => {
    const two = new Uint8ClampedArray([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
    const { palette, indices } = quantize(two, 16);
    expect(palette).toHaveLength(4);
    expect(palette[indices[0]!]).toEqual([255, 0, 0]);
    expect(palette[indices[3]!]).toEqual([0, 0, 255]);
    expect(indices[0]).toBe(indices[1]);
  });
});

describe('fitPhoto', () => {
  it("reads the workflow's limit from core", () => {
    expect(PHOTO_MAX_CHARS).toBe(500);
  });

  it('gives the largest rendition that fits, keeping the aspect ratio; the feedback command takes it', async () => {
    const calls: Array<[number, number, number]> = [];
    const url = await fitPhoto(4000, 3000, pngEncode(calls));
    expect(url).not.toBeNull();
    expect((url as string).length).toBeLessThanOrEqual(PHOTO_MAX_CHARS);
    const [w, h] = calls[calls.length - 1] as [number, number, number];
    expect(w / h).toBeCloseTo(4 / 3, 0);
    expect(w).toBeGreaterThanOrEqual(12);
    expect(parseCommand('event.feedback', { id: 'e1', note: '已清理', photos: [url] }).ok).toBe(true);
  });

  it('never enlarges a small picture', async () => {
    const calls: Array<[number, number, number]> = [];
    await fitPhoto(10, 5, pngEncode(calls));
    expect(calls[0]).toEqual([10, 5, 16]);
  });

  it('answers null when nothing fits, the picture is empty, or the encoder makes no image', async () => {
    expect(await fitPhoto(4000, 3000, async () => `data:image/png;base64,${'A'.repeat(600)}`)).toBeNull();
    expect(await fitPhoto(0, 100, pngEncode())).toBeNull();
    expect(await fitPhoto(100, 100, async () => 'data:,')).toBeNull();
  });
});
