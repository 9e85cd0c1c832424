// The register of emergency teams and resources (应急队伍、物资仓库、避难场所、应急车辆), kept in
// the replica beside the plans. The demo's replica starts with demoResources(grids) (a
// real town's starts empty: FieldStore.seed): one materials store, one shelter and one
// team per village, and the town's vehicles and volunteer fire brigade at the town's
// seat, each at a point inside its grid. The town keeps its register itself (the
// dispatcher and the admin: emergency.resources.save / .retire): a draft is checked here
// (resourceFromDraft), once in the form and again in the service.
import * as z from 'zod';
import pointOnFeature from '@turf/point-on-feature';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Grid } from '../model';
import { maskPhone } from '../privacy/mask';
import { keepMasked } from '../privacy/keep-masked';
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
  /** When the town last saved it (absent: the demo's seed, never edited). */
  updatedAt: z.string().optional(),
  /** 已停用: kept on record (plans and old emergencies name it), no longer offered by the search. */
  retiredAt: z.string().nullable().optional(),
});
export type Resource = z.output<typeof ResourceSchema>;

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

const text = (label: string, max: number) => z.string({ error: `${label}必须是文字` }).trim().min(1, `${label}不能为空`).max(max, `${label}不能超过${max}个字`);

/** A resource as the form (or a caller) gives it: the service adds the grid, the id of a new one and the times. */
export const ResourceDraftSchema = z.object({
  /** Absent: a new entry (the service names it). */
  id: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号只能包含字母、数字、下划线和连字符(1-64 个)').optional(),
  kind: z.enum(RESOURCE_KINDS, { error: `类型应为 ${RESOURCE_KINDS.map((k) => RESOURCE_KIND_LABELS[k]).join('、')} 之一` }),
  name: text('名称', 60),
  location: z.object({
    lon: z.number({ error: '经度必须是数字' }).min(-180, '经度超出范围').max(180, '经度超出范围'),
    lat: z.number({ error: '纬度必须是数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围'),
  }),
  detail: z.string().trim().max(200, '说明不能超过200个字').default(''),
  contact: z
    .object({
      name: text('联系人', 40),
      // Digits, a dash or spaces; `*` only as the masked number the screen showed (kept as stored).
      phone: z.string().trim().regex(/^[+\d][\d\s*()-]{2,31}$/, '电话号码格式不正确'),
    })
    .nullable()
    .default(null),
});
export type ResourceDraft = z.input<typeof ResourceDraftSchema>;

export type ResourceCheck = { ok: true; resource: Resource } | { ok: false; errors: string[] };

/** The basic grid (level 3) a point lies in, or null. */
export function gridAt(grids: readonly Grid[], lon: number, lat: number): Grid | null {
  for (const g of grids) if (g.level === 3 && booleanPointInPolygon([lon, lat], g.geometry)) return g;
  return null;
}

/**
 * A draft made into the register's entry: checked, placed in the basic grid it lies in
 * (a point outside the town's grids is refused), its time set. A contact phone that is
 * the masked form of the stored one (a role that sees phones masked edited it) keeps the
 * stored number; any other number with `*` in it is refused (no masked number is stored).
 */
export function resourceFromDraft(draft: unknown, o: { grids: readonly Grid[]; existing: Resource | null; id: string; at: string }): ResourceCheck {
  const parsed = ResourceDraftSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => (i.path.length > 0 && !/[\u4e00-\u9fa5]/.test(i.message) ? `${i.path.join('.')}:${i.message}` : i.message)) };
  const d = parsed.data;
  const errors: string[] = [];
  const grid = gridAt(o.grids, d.location.lon, d.location.lat);
  if (grid === null) errors.push('位置不在本镇的任何网格内,请在地图上重新选择或核对经纬度');
  let contact = d.contact;
  if (contact !== null) {
    const kept = keepMasked(contact.phone, o.existing?.contact?.phone, maskPhone);
    if (kept.ok) contact = { ...contact, phone: kept.value };
    else errors.push('电话号码不完整(含 *),请填写完整号码');
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    resource: {
      id: o.id,
      kind: d.kind,
      name: d.name,
      location: { lon: round6(d.location.lon), lat: round6(d.location.lat) },
      grid: grid!.code,
      detail: d.detail,
      contact,
      updatedAt: o.at,
      retiredAt: o.existing?.retiredAt ?? null,
    },
  };
}

/** Is it offered by the search (not retired)? */
export const inService = (r: Resource): boolean => r.retiredAt === undefined || r.retiredAt === null;

/** A point inside a grid (on its surface: a concave grid's centre may lie outside it), rounded to 6 decimals. */
export function pointIn(grid: Pick<Grid, 'geometry'>): { lon: number; lat: number } {
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
