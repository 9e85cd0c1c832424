// The register of emergency teams and resources (应急队伍、物资仓库、避难场所、应急车辆), kept in
// the replica beside the plans. The demo's replica starts with demoResources(grids) (a
// real town's starts empty: FieldStore.seed): one materials store, one shelter and one
// team per village, and the town's vehicles and volunteer fire brigade at the town's
// seat, each at a point inside its grid.
import * as z from 'zod';
import pointOnFeature from '@turf/point-on-feature';
import type { Grid } from '../model';
import { RESOURCE_KINDS, RESOURCE_KIND_LABELS, type ResourceKind } from './plans';

export const ResourceSchema = z.object({
  id: z.string().trim().min(1).max(64),
  kind: z.enum(RESOURCE_KINDS),
  name: z.string().trim().min(1).max(60),
  location: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
  /** The grid it lies in (15 digits), when known. */
  grid: z.string().nullable(),
  /** What it holds or can do: "编织袋 2000 条、救生衣 80 件", "容纳 300 人", "队员 12 人". */
  detail: z.string().max(200),
  /** Whom to call (a duty phone; masked for roles that may not see personal data). */
  contact: z.object({ name: z.string().max(40), phone: z.string().max(32) }).nullable(),
});
export type Resource = z.output<typeof ResourceSchema>;

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

function pointIn(grid: Grid): { lon: number; lat: number } {
  const p = pointOnFeature({ type: 'Feature', properties: {}, geometry: grid.geometry }).geometry.coordinates;
  return { lon: round6(p[0]!), lat: round6(p[1]!) };
}

/** Moves a point east and north by metres (small distances: a flat-earth step is exact enough). */
function nudge(p: { lon: number; lat: number }, eastM: number, northM: number): { lon: number; lat: number } {
  return { lon: round6(p.lon + eastM / (111_320 * Math.cos((p.lat * Math.PI) / 180))), lat: round6(p.lat + northM / 110_574) };
}

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '黄', '周', '吴', '邓'];

/** The demo register for a town's grids: deterministic, so every replica of the demo holds the same. */
export function demoResources(grids: readonly Grid[]): Resource[] {
  const basic = grids.filter((g) => g.level === 3).sort((a, b) => (a.code < b.code ? -1 : 1));
  const villages = grids.filter((g) => g.level === 2).sort((a, b) => (a.code < b.code ? -1 : 1));
  const out: Resource[] = [];
  const add = (kind: ResourceKind, id: string, name: string, grid: Grid, detail: string, i: number, offset: [number, number]): void => {
    const phone = `1390730${String(1000 + ((i * 37 + kind.length * 11) % 9000)).padStart(4, '0')}`;
    out.push({ id, kind, name, location: nudge(pointIn(grid), ...offset), grid: grid.code, detail, contact: { name: `${SURNAMES[i % SURNAMES.length]}队长`, phone } });
  };
  const seat = basic[0];
  if (seat) {
    add('team', 'team-fire', '镇义务消防队', seat, '队员 15 人,手抬机动泵 2 台', 0, [40, 0]);
    add('team', 'team-militia', '镇民兵应急分队', seat, '队员 30 人,抢险工具齐全', 1, [-40, 20]);
    add('vehicle', 'vehicle-fire', '消防洒水车(湘 F·3119)', seat, '载水 8 吨', 2, [60, -30]);
    add('vehicle', 'vehicle-rescue', '应急指挥车(湘 F·0110)', seat, '卫星电话、扩音设备', 3, [-60, -30]);
    add('materials', 'store-town', '镇应急物资储备库', seat, '编织袋 5000 条、救生衣 120 件、帐篷 30 顶、发电机 4 台', 4, [0, 60]);
  }
  villages.forEach((v, i) => {
    const own = basic.filter((g) => g.parent === v.code);
    const g = own[0];
    if (!g) return;
    const short = v.name;
    add('materials', `store-${v.code}`, `${short}应急物资点`, g, '编织袋 500 条、救生衣 20 件、灭火器 30 具', 10 + i, [20, 20]);
    add('shelter', `shelter-${v.code}`, `${short}避险安置点(村部)`, own[own.length - 1] ?? g, `可容纳 ${150 + (i % 4) * 50} 人`, 20 + i, [0, 0]);
    add('team', `team-${v.code}`, `${short}应急小分队`, own[Math.floor(own.length / 2)] ?? g, `队员 ${6 + (i % 5)} 人`, 30 + i, [-20, 10]);
  });
  return out;
}

export { RESOURCE_KIND_LABELS };
