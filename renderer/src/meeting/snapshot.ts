// A PNG of the meeting's map for the minutes: the map's canvases (base map and layers)
// drawn onto one canvas, scaled down to at most MAX_WIDTH pixels wide, as base64. Null
// when the browser cannot read them back (a WebGL canvas without a kept buffer reads as
// empty; a tainted one throws) or the picture would be too heavy for the call.
import { SNAPSHOT_MAX_BASE64 } from '../../../core/meeting/model';

const MAX_WIDTH = 800;

export function mapSnapshot(root: ParentNode | null): string | null {
  if (!root) return null;
  const canvases = [...root.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
  const first = canvases[0];
  if (!first) return null;
  const scale = Math.min(1, MAX_WIDTH / first.width);
  const out = document.createElement('canvas');
  out.width = Math.round(first.width * scale);
  out.height = Math.round(first.height * scale);
  const g = out.getContext('2d');
  if (!g) return null;
  try {
    for (const c of canvases) g.drawImage(c, 0, 0, out.width, out.height);
    const base64 = out.toDataURL('image/png').slice('data:image/png;base64,'.length);
    return base64.length > 0 && base64.length <= SNAPSHOT_MAX_BASE64 ? base64 : null;
  } catch {
    return null;
  }
}
