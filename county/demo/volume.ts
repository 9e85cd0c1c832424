// How busy the demo town is: the county simulator's rate of new events.
//
// 'town' (the default) is what a town of the demo's size plausibly sends its center:
// about 24 reports a day for 32 grids (0.75 a grid a day), so that some 90 events are
// open at once; docs/domain.md ("The demo's volume") says how it was chosen from the
// seeds. 'heavy' is the rate the demo had before (12 an hour: about 290 a day, 850 open),
// several times a town's: kept for benchmarks and drills that want a city's load.

export const DEMO_LOADS = {
  town: { eventsPerHour: 1 },
  heavy: { eventsPerHour: 12 },
} as const;

export type DemoLoad = keyof typeof DEMO_LOADS;

export const DEFAULT_DEMO_LOAD: DemoLoad = 'town';

export function isDemoLoad(value: string): value is DemoLoad {
  return Object.hasOwn(DEMO_LOADS, value);
}

/** A load named on a command line or in GRIDDECK_DEMO_LOAD; a clear error for any other word. */
export function parseDemoLoad(value: string, from = 'demo load'): DemoLoad {
  const v = value.trim();
  if (isDemoLoad(v)) return v;
  throw new Error(`bad ${from}: ${JSON.stringify(value)} (${Object.keys(DEMO_LOADS).join(' or ')})`);
}
