// The registers' words on screen, from core (one fact written once).
import { POOLS, SPECIAL_GROUPS, type Pool, type SpecialGroup } from '../../../core/registers/types';

export const groupLabel = (g: SpecialGroup): string => SPECIAL_GROUPS[g].label;
export const poolLabel = (p: Pool): string => POOLS[p];
export const RESIDENCE_LABELS = { registered: '户籍', floating: '流动' } as const;
export const ORG_KIND_LABELS = { unit: '单位', enterprise: '企业' } as const;

/** Tags and pools of a person as one line (tags only when the service sent them). */
export function personMarks(p: { tags?: readonly SpecialGroup[]; pools: readonly Pool[] }): string {
  return [...(p.tags ?? []).map(groupLabel), ...p.pools.map(poolLabel)].join('、');
}
