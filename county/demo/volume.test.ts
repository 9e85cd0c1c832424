import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_LOAD, DEMO_LOADS, parseDemoLoad } from './volume';

describe('the demo load', () => {
  it('defaults to a town’s volume, with the heavy one as an option', () => {
    expect(DEFAULT_DEMO_LOAD).toBe('town');
    // A town: about 24 reports a day for 32 grids; heavy: the 12 an hour the demo had.
    expect(DEMO_LOADS.town.eventsPerHour * 24).toBeLessThanOrEqual(32);
    expect(DEMO_LOADS.heavy.eventsPerHour).toBe(12);
  });

  it('parses a load name and refuses any other word clearly', () => {
    expect(parseDemoLoad(' heavy ')).toBe('heavy');
    expect(() => parseDemoLoad('city', 'GRIDDECK_DEMO_LOAD')).toThrow(/bad GRIDDECK_DEMO_LOAD: "city" \(town or heavy\)/);
    expect(() => parseDemoLoad('toString')).toThrow(/bad demo load/);
  });
});
