// deck.gl's animation loop asks for a frame sixty times a second for as long as the
// map is open, and submits to the GPU on every one even when it draws nothing. On a PC
// without a graphics driver (SwiftShader) that alone kept several percent of a core
// busy on a screen where nothing moved (issue 14; `npm run bench -- --only idle`).
//
// This frame provider, handed to the loop, gives it frames at the display's rate while
// the map is busy, and one every IDLE_FRAME_MS once it has been quiet for IDLE_AFTER_MS
// (unless deck.gl has something to draw: needsRedraw, layers to update). The
// camera or the pointer moving wakes it (wake(): the display's rate for IDLE_AFTER_MS,
// for a smooth pan); new layers ask for one frame at once (frame(): the first frame of
// a change is never held back, and a data change (the workers' positions, every second
// on a town's map) does not keep the loop at the display's rate). Frames deck.gl itself
// still needs come at once while it says so (needsRedraw), else within IDLE_FRAME_MS.

/** Quiet this long (ms) and the loop's frames slow down. */
export const IDLE_AFTER_MS = 1500;
/** The loop's frame interval (ms) while the map is quiet. */
export const IDLE_FRAME_MS = 250;

export interface FrameProvider {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
}

export interface IdleFrames {
  provider: FrameProvider;
  /** The camera or the pointer moves: frames at the display's rate again, the pending one at once. */
  wake(): void;
  /** New layers: the pending frame at once; the rate stays as it is. */
  frame(): void;
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
 * a frame to draw or layers to update (checked before a frame is held back, and while it is). One request at a time, as
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

  // Quiet: the frame waits IDLE_FRAME_MS. (Holding it until deck.gl says it has something
  // to draw saved more, but the console's map then sometimes never drew its first complete
  // frame under load: something deck.gl or maplibre needs a frame for is not in its flags.)
  const park = (p: NonNullable<typeof pending>): void => {
    p.timer = host.setTimeout(() => toFrame(p), IDLE_FRAME_MS);
  };

  const provider: FrameProvider = {
    requestAnimationFrame(callback) {
      const p = { id: nextId++, callback, frame: null as number | null, timer: null as number | null };
      pending = p;
      if (host.now() - lastWake < IDLE_AFTER_MS || needsRedraw()) toFrame(p);
      else park(p);
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
    frame() {
      if (pending && pending.timer !== null) toFrame(pending);
    },
  };
}
