// Is WebGL drawn by the CPU here (no graphics driver: Chromium's SwiftShader, Mesa's
// llvmpipe, Windows' Basic Render Driver)? Then every deck.gl frame is filled and
// resolved by the CPU, and multisampling (MSAA, WebGL's default antialias) multiplies
// the fill and adds a resolve to each of them: on such a PC the deck.gl canvas is made
// without it (jagged edges by a pixel, a lighter frame; issue 14, the idle cost). A
// graphics card keeps it: there it costs nearly nothing.

/** Renderer names of WebGL drawn on the CPU. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Does this WebGL renderer name (UNMASKED_RENDERER_WEBGL or RENDERER) say the CPU draws? */
export function isSoftwareRenderer(name: string | null | undefined): boolean {
  return !!name && SOFTWARE_RENDERER.test(name);
}

/** The renderer's name of a canvas's existing WebGL context (the base map's), or null. */
export function rendererOf(canvas: HTMLCanvasElement): string | null {
  // Asking a canvas for the kind of context it already has returns that context.
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof name === 'string' ? name : null;
}
