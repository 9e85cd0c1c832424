// Photos of a department's feedback (event.feedback `photos`). The workflow carries a
// photo as a short reference string (core/events/commands.ts: at most PHOTO_MAX_CHARS
// characters each), and there is no file store behind the app API yet: a photo picked
// here travels as a very small image inside the reference itself (a data: URL of a
// palette PNG, png.ts, reduced until it fits), which every screen shows (the event's
// photos accept data:image/ URLs). A sign of the site, not a picture of it: the screen
// says so, and a file store for full photos is left to the service.
import { COMMAND_ARGS } from '../../../core/events/commands';
import { base64, palettePng, type Deflate } from './png';

/** The longest photo reference the workflow accepts (read from core's schema, not repeated here). */
export const PHOTO_MAX_CHARS: number = COMMAND_ARGS['event.feedback'].shape.photos.unwrap().element.maxLength ?? 500;

/** Draws the picture at a size and encodes it with so many colours: a data: URL. */
export type Encode = (width: number, height: number, colors: number) => Promise<string>;

/** Longest sides tried, largest first, and the palette sizes tried at each. */
const SIDES = [40, 32, 28, 24, 20, 16, 12, 8];
const COLORS = [16, 8, 4];

/**
 * The largest rendition of a picture of `width`×`height` whose data: URL fits in `maxChars`,
 * trying smaller sides and fewer colours in turn; null when even the smallest does not fit.
 */
export async function fitPhoto(width: number, height: number, encode: Encode, maxChars: number = PHOTO_MAX_CHARS): Promise<string | null> {
  if (!(width > 0 && height > 0)) return null;
  const long = Math.max(width, height);
  for (const side of SIDES) {
    const scale = Math.min(1, side / long);
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    for (const colors of COLORS) {
      const url = await encode(w, h, colors);
      if (url.startsWith('data:image/') && url.length <= maxChars) return url;
    }
  }
  return null;
}

/** zlib through the browser's CompressionStream. */
export const browserDeflate: Deflate = async (bytes) => {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

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
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return { ok: false, message: '浏览器无法处理图片。' };
  const encode: Encode = async (w, h, colors) => {
    canvas.width = w;
    canvas.height = h;
    context.drawImage(bitmap, 0, 0, w, h);
    const png = await palettePng(context.getImageData(0, 0, w, h).data, w, h, colors, browserDeflate);
    return `data:image/png;base64,${base64(png)}`;
  };
  const photo = await fitPhoto(bitmap.width, bitmap.height, encode);
  bitmap.close();
  return photo ? { ok: true, photo } : { ok: false, message: `图片“${file.name}”无法压缩到可上报的大小。` };
}
