import { describe, expect, it } from 'vitest';
import { createIdleFrames, IDLE_AFTER_MS, IDLE_FRAME_MS } from './idle-frames';

function fakeHost() {
  const host = {
    t: 0,
    frames: new Map<number, FrameRequestCallback>(),
    timers: new Map<number, { cb: () => void; ms: number }>(),
    seq: 1,
    requestAnimationFrame(cb: FrameRequestCallback) {
      const id = host.seq++;
      host.frames.set(id, cb);
      return id;
    },
    cancelAnimationFrame(id: number) {
      host.frames.delete(id);
    },
    setTimeout(cb: () => void, ms: number) {
      const id = host.seq++;
      host.timers.set(id, { cb, ms });
      return id;
    },
    clearTimeout(id: number) {
      host.timers.delete(id);
    },
    now: () => host.t,
    /** Runs the timers due. */
    fire() {
      const all = [...host.timers.values()];
      host.timers.clear();
      for (const t of all) t.cb();
    },
    /** Runs the display's next frame. */
    frame() {
      const all = [...host.frames.values()];
      host.frames.clear();
      for (const cb of all) cb(host.t);
    },
  };
  return host;
}

describe('the map loop frames while idle', () => {
  it('asks the display for frames while busy, slows down once quiet, and wakes at once on a change', () => {
    const host = fakeHost();
    let redraw = false;
    const idle = createIdleFrames(() => redraw, host);
    let drawn = 0;
    const loop = () => idle.provider.requestAnimationFrame(() => (drawn++, loop()));
    loop();
    expect(host.frames.size).toBe(1);
    host.frame();
    expect(drawn).toBe(1);

    host.t = IDLE_AFTER_MS + 1;
    host.frame();
    // Quiet: the next frame waits on a timer, not the display.
    expect(host.frames.size).toBe(0);
    expect([...host.timers.values()].map((t) => t.ms)).toEqual([IDLE_FRAME_MS]);

    // A change: the pending request is served at the next display frame, the timer dropped.
    idle.wake();
    expect(host.timers.size).toBe(0);
    expect(host.frames.size).toBe(1);
    host.frame();
    expect(drawn).toBe(3);

    // Quiet, nothing to draw: the timer serves the loop's turn itself, no display frame.
    host.t += IDLE_AFTER_MS + 1;
    host.frame();
    expect(drawn).toBe(4);
    host.fire();
    expect(drawn).toBe(5);
    expect(host.frames.size).toBe(0);
    expect(host.timers.size).toBe(1);

    // The timer finds a frame to draw: the turn waits for the display's frame.
    redraw = true;
    host.fire();
    expect(drawn).toBe(5);
    expect(host.frames.size).toBe(1);
    host.frame();
    expect(drawn).toBe(6);
    redraw = false;

    // Quiet again, but deck.gl has a frame to draw: no slowing down.
    host.t += IDLE_AFTER_MS + 1;
    redraw = true;
    host.frames.clear();
    host.timers.clear();
    loop();
    expect(host.frames.size).toBe(1);
    expect(host.timers.size).toBe(0);
  });

  it('draws new layers at the next display frame without opening a display-rate window', () => {
    const host = fakeHost();
    const idle = createIdleFrames(() => false, host);
    let turns = 0;
    const loop = () => idle.provider.requestAnimationFrame(() => (turns++, loop()));
    host.t = IDLE_AFTER_MS + 1;
    loop();
    expect(host.timers.size).toBe(1);
    // New layers at rest: the pending turn goes to the display's next frame.
    idle.draw();
    expect(host.timers.size).toBe(0);
    expect(host.frames.size).toBe(1);
    host.frame();
    expect(turns).toBe(1);
    // After it, still quiet: the next turn is on the timer again (wake() would ask the display).
    expect(host.frames.size).toBe(0);
    expect([...host.timers.values()].map((t) => t.ms)).toEqual([IDLE_FRAME_MS]);
    host.fire();
    expect(turns).toBe(2);
    expect(host.frames.size).toBe(0);
  });

  it('cancels the pending request whichever way it is served', () => {
    const host = fakeHost();
    const idle = createIdleFrames(() => false, host);
    const first = idle.provider.requestAnimationFrame(() => undefined);
    idle.provider.cancelAnimationFrame(first);
    expect(host.frames.size).toBe(0);
    host.t = IDLE_AFTER_MS + 1;
    const second = idle.provider.requestAnimationFrame(() => undefined);
    expect(host.timers.size).toBe(1);
    idle.provider.cancelAnimationFrame(second);
    expect(host.timers.size).toBe(0);
    idle.wake();
    expect(host.frames.size).toBe(0);
  });
});
