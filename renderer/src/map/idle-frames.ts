// deck.gl's animation loop asks for a frame sixty times a second for as long as the
// map is open, and submits to the GPU on every one even when it draws nothing. On a PC
// without a graphics driver (SwiftShader) that alone kept several percent of a core
// busy on a screen where nothing moved (issue 14; `npm run bench -- --only idle`).
//
// This frame provider, handed to the loop, gives it frames at the display's rate while
// the map is busy, and once it has been quiet for IDLE_AFTER_MS serves the loop from a
// timer every IDLE_FRAME_MS instead: the loop's turn (deck.gl's layer updates, an async
// prop loaded, a pick) runs without asking the display for a frame, so a page at rest
// has no animation frame at all (each one costs the renderer a main-frame lifecycle,
// ~2 ms on a loaded machine); when deck.gl has something to draw, the turn waits for the
// display's next frame. Someone using the map wakes it at once: the controller calls
// wake() when the camera or the pointer moves (display-rate frames for IDLE_AFTER_MS).
// New layers on a map at rest (a position tick, a new event) call draw(): their one
// frame at the display's next frame, without the display-rate window after it, which
// had cost ~30 animation frames with nothing to draw after every 5 s redraw.
/** Quiet this long (ms) and the loop's frames slow down. */
export const IDLE_AFTER_MS = 500;
/** The loop's turn interval (ms) while the map is quiet (a timer, not a display frame). */
export const IDLE_FRAME_MS = 250;

export interface FrameProvider {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
}

export interface IdleFrames {
  provider: FrameProvider;
  /** Someone uses the map: frames at the display's rate again, the pending one at once. */
  wake(): void;
  /** deck.gl has new layers: the pending turn at the display's next frame, the pace unchanged. */
  draw(): void;
}

interface Host {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number): void;
  now(): number;
}

const browserHost = (): Host => ({
  requestAnimationFrame: (cb) => window.requestAnimationFrame(cb),
  cancelAnimationFrame: (id) => window.cancelAnimationFrame(id),
  setTimeout: (cb, ms) => window.setTimeout(cb, ms),
  clearTimeout: (id) => window.clearTimeout(id),
  now: () => performance.now(),
});

/**
 * A frame provider for deck.gl's AnimationLoop. `needsRedraw` tells whether deck.gl has
 * a frame to draw (checked before a frame is slowed down). One request at a time, as
 * the loop makes them.
 */
export function createIdleFrames(needsRedraw: () => boolean, host: Host = browserHost()): IdleFrames {
  let lastWake = host.now();
  let nextId = 1;
  // The loop's one outstanding request: its id as the loop knows it, and what serves it now.
  let pending: { id: number; callback: FrameRequestCallback; frame: number | null; timer: number | null } | null = null;

  const toFrame = (p: NonNullable<typeof pending>): void => {
    if (p.timer !== null) host.clearTimeout(p.timer);
    p.timer = null;
    p.frame = host.requestAnimationFrame((t) => {
      if (pending === p) pending = null;
      p.callback(t);
    });
  };

  // Quiet: the loop's turn from the timer itself, unless deck.gl now has a frame to draw.
  const atRest = (p: NonNullable<typeof pending>): void => {
    p.timer = null;
    if (needsRedraw()) return toFrame(p);
    if (pending === p) pending = null;
    p.callback(host.now());
  };

  const provider: FrameProvider = {
    requestAnimationFrame(callback) {
      const p = { id: nextId++, callback, frame: null as number | null, timer: null as number | null };
      pending = p;
      if (host.now() - lastWake < IDLE_AFTER_MS || needsRedraw()) toFrame(p);
      else p.timer = host.setTimeout(() => atRest(p), IDLE_FRAME_MS);
      return p.id;
    },
    cancelAnimationFrame(id) {
      if (!pending || pending.id !== id) return;
      if (pending.timer !== null) host.clearTimeout(pending.timer);
      if (pending.frame !== null) host.cancelAnimationFrame(pending.frame);
      pending = null;
    },
  };

  return {
    provider,
    wake() {
      lastWake = host.now();
      if (pending && pending.timer !== null) toFrame(pending);
    },
    draw() {
      if (pending && pending.timer !== null) toFrame(pending);
    },
  };
}
