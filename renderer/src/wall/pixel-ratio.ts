// The wall's map is laid out on the design stage and enlarged with it by a CSS
// transform, like every other part of the wall, so its labels and markers keep the
// design's proportions on any display. For the enlarged map to stay sharp, maplibre
// and deck.gl must draw `scale` times more pixels: both size their canvases from
// window.devicePixelRatio, read at every resize and frame, so the wall page reports
// the native ratio times the stage's scale. The wall is a page of its own; the
// original property is put back when the wall unmounts.
type Host = { devicePixelRatio: number };

let original: PropertyDescriptor | undefined;
let native = 1;

export function setStagePixelRatio(scale: number, host: Host = window): void {
  if (original === undefined) {
    original = Object.getOwnPropertyDescriptor(host, 'devicePixelRatio') ?? { configurable: true, writable: true, value: host.devicePixelRatio };
    native = host.devicePixelRatio;
  }
  const ratio = native * Math.max(scale, 0.25);
  Object.defineProperty(host, 'devicePixelRatio', { configurable: true, get: () => ratio });
}

export function restorePixelRatio(host: Host = window): void {
  if (original === undefined) return;
  Object.defineProperty(host, 'devicePixelRatio', original);
  original = undefined;
}
