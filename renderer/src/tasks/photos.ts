// Photos of a department's feedback (event.feedback `photos`). The workflow carries a
// photo as a short reference string (core/events/commands.ts: at most PHOTO_MAX_CHARS
// characters each), and there is no file store behind the app API yet: a photo picked
// here travels as a small image inside the reference itself (a data: URL, reduced until
// it fits), which every screen shows (the event's photos accept data:image/ URLs). A
// proof of the site, not a full-resolution picture: the screen says so.
import { COMMAND_ARGS } from '../../../core/events/commands';

/** The longest photo reference the workflow accepts (read from core's schema, not repeated here). */
export const PHOTO_MAX_CHARS: number = COMMAND_ARGS['event.feedback'].shape.photos.unwrap().element.maxLength ?? 500;

/** Draws the picture at a size and encodes it: a data: URL (the browser's canvas in the app, a fake in tests). */
export type Encode = (width: number, height: number, quality: number) => string;

/** Longest sides tried, largest first, and the qualities tried at each. */
const SIDES = [160, 128, 96, 80, 64, 48, 40, 32, 24, 16];
const QUALITIES = [0.6, 0.4, 0.25, 0.1];

/**
 * The largest rendition of a picture of `width`×`height` whose data: URL fits in `maxChars`,
 * trying smaller sides and lower qualities in turn; null when even the smallest does not fit.
 */
export function fitPhoto(width: number, height: number, encode: Encode, maxChars: number = PHOTO_MAX_CHARS): string | null {
  if (!(width > 0 && height > 0)) return null;
  const long = Math.max(width, height);
  for (const side of SIDES) {
    const scale = Math.min(1, side / long);
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    for (const quality of QUALITIES) {
      const url = encode(w, h, quality);
      if (url.startsWith('data:image/') && url.length <= maxChars) return url;
    }
  }
  return null;
}

/** A picked file as a photo reference for the feedback, or the reason it cannot be one. */
export async function photoFromFile(file: File): Promise<{ ok: true; photo: string } | { ok: false; message: string }> {
  if (!file.type.startsWith('image/')) return { ok: false, message: `“${file.name}”不是图片文件。` };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, message: `无法读取图片“${file.name}”。` };
  }
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return { ok: false, message: '浏览器无法处理图片。' };
  const encode: Encode = (w, h, quality) => {
    canvas.width = w;
    canvas.height = h;
    context.drawImage(bitmap, 0, 0, w, h);
    const webp = canvas.toDataURL('image/webp', quality);
    return webp.startsWith('data:image/webp') ? webp : canvas.toDataURL('image/jpeg', quality);
  };
  const photo = fitPhoto(bitmap.width, bitmap.height, encode);
  bitmap.close();
  return photo ? { ok: true, photo } : { ok: false, message: `图片“${file.name}”无法压缩到可上报的大小。` };
}
