import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../core/events/commands';
import { PHOTO_MAX_CHARS, fitPhoto, type Encode } from './photos';

/** A fake encoder whose output grows with the pixels and the quality, as real ones do. */
const sized = (bytesPerPixel: number, calls: Array<[number, number, number]> = []): Encode => (w, h, q) => {
  calls.push([w, h, q]);
  return `data:image/webp;base64,${'A'.repeat(Math.ceil(w * h * bytesPerPixel * q))}`;
};

describe('fitPhoto', () => {
  it("reads the workflow's limit from core", () => {
    expect(PHOTO_MAX_CHARS).toBe(500);
  });

  it('gives the largest rendition that fits, keeping the aspect ratio', () => {
    const calls: Array<[number, number, number]> = [];
    const url = fitPhoto(4000, 3000, sized(0.5, calls));
    expect(url).not.toBeNull();
    expect((url as string).length).toBeLessThanOrEqual(PHOTO_MAX_CHARS);
    const [w, h] = calls[calls.length - 1] as [number, number, number];
    expect(w / h).toBeCloseTo(4 / 3, 1);
    // Nothing larger that fits was skipped: every earlier try was too long.
    expect(calls.slice(0, -1).every(([cw, ch, q]) => sized(0.5)(cw, ch, q).length > PHOTO_MAX_CHARS)).toBe(true);
  });

  it('never enlarges a small picture', () => {
    const calls: Array<[number, number, number]> = [];
    fitPhoto(20, 10, sized(0.01, calls));
    expect(calls[0]).toEqual([20, 10, 0.6]);
  });

  it('answers null when nothing fits or the picture is empty', () => {
    expect(fitPhoto(4000, 3000, sized(1000))).toBeNull();
    expect(fitPhoto(0, 100, sized(0.1))).toBeNull();
  });

  it('refuses an encoder that does not make an image', () => {
    expect(fitPhoto(100, 100, () => 'data:,')).toBeNull();
  });

  it('what it makes is a photo the feedback command accepts', () => {
    const photo = fitPhoto(1200, 900, sized(0.3)) as string;
    expect(parseCommand('event.feedback', { id: 'e1', note: '已清理', photos: [photo] }).ok).toBe(true);
  });
});
