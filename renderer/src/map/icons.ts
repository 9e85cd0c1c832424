// The heading arrow's icon, drawn into a canvas at run time (nothing to download,
// nothing for the CSP to allow): a chevron pointing north, turned by deck.gl.
let atlas: HTMLCanvasElement | null = null;

export function arrowAtlas(): HTMLCanvasElement {
  if (atlas) return atlas;
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    // A chevron in the top half, clear of the worker's dot at the centre.
    ctx.moveTo(32, 2);
    ctx.lineTo(46, 20);
    ctx.lineTo(32, 14);
    ctx.lineTo(18, 20);
    ctx.closePath();
    ctx.fill();
  }
  atlas = canvas;
  return canvas;
}
