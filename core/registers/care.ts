// The weekly visits of 方案1: 网格长每周对生活困难家庭、空巢老人家庭、留守儿童家庭、残疾人家庭等
// 登门走访…做好登记. A household (a house of the register) is due a visit in a week when one
// of its people carries a group whose care level is `weekly` and no visit to the house
// was recorded in that week (Monday 00:00 to the next Monday, Asia/Shanghai).
import { addDays, shanghaiDate, shanghaiMidnight, weekday } from '../time/shanghai';
import { SPECIAL_GROUPS, type SpecialGroup } from './types';

export const WEEKLY_GROUPS: readonly SpecialGroup[] = (Object.keys(SPECIAL_GROUPS) as SpecialGroup[]).filter((g) => SPECIAL_GROUPS[g].care === 'weekly');

/** The Shanghai week holding `ms`: [Monday 00:00, next Monday 00:00) in epoch ms. */
export function weekOf(ms: number): { from: number; to: number } {
  const date = shanghaiDate(ms);
  const monday = addDays(date, -((weekday(date) + 6) % 7));
  return { from: shanghaiMidnight(monday), to: shanghaiMidnight(addDays(monday, 7)) };
}

/** The weekly groups among a household's people's tags (each once, in SPECIAL_GROUPS order). */
export function weeklyGroupsOf(tags: Iterable<SpecialGroup>): SpecialGroup[] {
  const held = new Set(tags);
  return WEEKLY_GROUPS.filter((g) => held.has(g));
}

export interface HouseholdCare {
  house: string;
  groups: SpecialGroup[];
  /** Visits to the house within the week. */
  visits: number;
}

/** Households due this week: those with a weekly group and no visit in the week. */
export function dueVisits(households: readonly HouseholdCare[]): HouseholdCare[] {
  return households.filter((h) => h.groups.length > 0 && h.visits === 0);
}

/** Coverage of the weekly households: visited / to visit (1 when none is to be visited). */
export function coverage(households: readonly HouseholdCare[]): { toVisit: number; visited: number; rate: number } {
  const toVisit = households.filter((h) => h.groups.length > 0).length;
  const visited = households.filter((h) => h.groups.length > 0 && h.visits > 0).length;
  return { toVisit, visited, rate: toVisit === 0 ? 1 : visited / toVisit };
}
