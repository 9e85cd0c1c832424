// Where the wall window goes. Pure (no 'electron' import) so it is unit-tested.

export interface DisplayLike {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/**
 * The wall goes on the first display that is not the primary one (the video
 * wall's controller is seen as a second monitor); `--wall` forces it onto the
 * primary display (a wall PC with one output). No second display and no flag:
 * no wall window.
 */
export function chooseWallDisplay<D extends DisplayLike>(displays: readonly D[], primaryId: number, forceWall: boolean): D | null {
  const primary = displays.find((d) => d.id === primaryId) ?? null;
  if (forceWall) return primary;
  return displays.find((d) => d.id !== primaryId) ?? null;
}
