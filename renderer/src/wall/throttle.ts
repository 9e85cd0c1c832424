// At most one call per window, and never a lost last call: the wall refetches its
// figures on a burst of changes once at the start and once at the end of the burst.
export interface Throttled {
  (): void;
  cancel(): void;
}

export function throttle(fn: () => void, ms: number, timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis): Throttled {
  let last = -Infinity;
  let pending: ReturnType<typeof setTimeout> | null = null;
  const now = (): number => Date.now();
  const run = (): void => {
    pending = null;
    last = now();
    fn();
  };
  const throttled = (() => {
    if (pending !== null) return;
    const wait = last + ms - now();
    if (wait <= 0) run();
    else pending = timers.setTimeout(run, wait);
  }) as Throttled;
  throttled.cancel = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
  };
  return throttled;
}
