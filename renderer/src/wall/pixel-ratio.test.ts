import { describe, expect, it } from 'vitest';
import { restorePixelRatio, setStagePixelRatio } from './pixel-ratio';

describe('the stage pixel ratio', () => {
  it('reports the native ratio times the stage scale, and puts the original back', () => {
    const host = { devicePixelRatio: 1.5 };
    setStagePixelRatio(2, host);
    expect(host.devicePixelRatio).toBe(3);
    // A new scale multiplies the native ratio, not the one already reported.
    setStagePixelRatio(0.5, host);
    expect(host.devicePixelRatio).toBe(0.75);
    restorePixelRatio(host);
    expect(host.devicePixelRatio).toBe(1.5);
    expect(Object.getOwnPropertyDescriptor(host, 'devicePixelRatio')?.writable).toBe(true);
    restorePixelRatio(host);
    expect(host.devicePixelRatio).toBe(1.5);
  });
});
