// The list of matters (事项清单) as a validated tree, the routing of an event to its
// lead department with limits and tier, and the choice of grid workers to send.
// "派"即镇网格办对所有上报事项按照事项清单进行甄别和分类,点对点派单至相应的组线 (方案3 六).
import distance from '@turf/distance';
import type { Category, Department, Limit, LimitUnit, PositionFix, Tier, Worker } from '../model';

/** The wire's finishLimit units (county-link-v1); `minutes` is internal to acceptance. */
const FINISH_UNITS: readonly LimitUnit[] = ['hours', 'days', 'workHours', 'workDays'];
const ALL_UNITS: readonly LimitUnit[] = ['minutes', ...FINISH_UNITS];
const TIERS: readonly Tier[] = ['simple', 'general', 'complex'];

/** Used when neither a category nor any of its ancestors names a verification limit. */
export const DEFAULT_VERIFY_LIMIT: Limit = { value: 1, unit: 'workDays' };

/**
 * A per-area exception to the list of matters: in `area` (a grid-code prefix: the
 * town's 9 digits, a village's or community's 12, or one grid's 15) the category
 * `category` and all its descendants go to `department` instead of the list's lead.
 * Example: a community whose property office (物业办) handles 环境卫生 ("03").
 */
export interface RouteOverride {
  area: string;
  category: string;
  department: string;
  /** Replaces the category's cooperating departments when given. */
  cooperating?: string[];
  /** Replaces the category's tier when given. */
  tier?: Tier;
}

export interface Route {
  category: Category;
  /** Lead department id. */
  department: string;
  /** Cooperating department ids (协办), never containing the lead. */
  cooperating: string[];
  acceptMinutes: number;
  finishLimit: Limit;
  tier: Tier;
  verifyLimit: Limit;
  firstReportReward: boolean;
  /** The override that applied, if any. */
  override: RouteOverride | null;
}

export class CatalogError extends Error {
  constructor(readonly errors: string[]) {
    super(`事项清单有误:\n${errors.join('\n')}`);
    this.name = 'CatalogError';
  }
}

const label = (c: Category): string => `事项 ${c.code}(${c.name})`;

function limitErrors(what: string, limit: Limit | undefined, units: readonly LimitUnit[]): string[] {
  if (limit === undefined) return [];
  const errors: string[] = [];
  if (!Number.isFinite(limit.value) || limit.value <= 0) errors.push(`${what}必须为正数,现为 ${String(limit.value)}`);
  if (!units.includes(limit.unit)) errors.push(`${what}的单位 ${String(limit.unit)} 无效,应为 ${units.join('/')}`);
  return errors;
}

/**
 * Every inconsistency of a list of matters, as Chinese sentences a town's
 * administrator can act on; empty when the list is sound.
 */
export function validateCatalog(
  categories: readonly Category[],
  departments: readonly Department[],
  overrides: readonly RouteOverride[] = [],
): string[] {
  const errors: string[] = [];
  const depts = new Map<string, Department>();
  for (const d of departments) {
    if (depts.has(d.id)) errors.push(`部门编号重复:${d.id}`);
    depts.set(d.id, d);
  }
  const byCode = new Map<string, Category>();
  for (const c of categories) {
    if (!/^[0-9A-Za-z]+$/.test(c.code)) errors.push(`${label(c)}的编码只能由数字和字母组成`);
    if (byCode.has(c.code)) errors.push(`事项编码重复:${c.code}`);
    byCode.set(c.code, c);
    if (c.name.trim() === '') errors.push(`事项 ${c.code} 缺少名称`);
  }

  for (const c of categories) {
    if (c.parent !== null) {
      if (!byCode.has(c.parent)) errors.push(`${label(c)}的上级事项 ${c.parent} 不存在`);
      if (!c.code.startsWith(c.parent) || c.code.length <= c.parent.length) {
        errors.push(`${label(c)}的编码应以上级事项编码 ${c.parent} 开头并更长`);
      }
    }
    if (!depts.has(c.department)) errors.push(`${label(c)}的牵头部门 ${c.department} 不存在`);
    const seen = new Set<string>();
    for (const id of c.cooperating ?? []) {
      if (!depts.has(id)) errors.push(`${label(c)}的协办部门 ${id} 不存在`);
      if (id === c.department) errors.push(`${label(c)}的协办部门 ${id} 与牵头部门相同`);
      if (seen.has(id)) errors.push(`${label(c)}的协办部门 ${id} 重复`);
      seen.add(id);
    }
    if (!Number.isFinite(c.acceptMinutes) || c.acceptMinutes <= 0) {
      errors.push(`${label(c)}的受理时限必须为正数,现为 ${String(c.acceptMinutes)}`);
    }
    errors.push(...limitErrors(`${label(c)}的办结时限`, c.finishLimit, FINISH_UNITS));
    errors.push(...limitErrors(`${label(c)}的核查时限`, c.verifyLimit, ALL_UNITS));
    if (!TIERS.includes(c.tier)) errors.push(`${label(c)}的处置层级 ${String(c.tier)} 无效`);
  }

  // The prefix rule already forbids cycles; check anyway so a broken rule cannot hang a
  // lookup. A cycle is reported once, at its smallest code.
  for (const c of categories) {
    const cycle: string[] = [c.code];
    let parent = c.parent;
    while (parent !== null && parent !== c.code && !cycle.includes(parent)) {
      cycle.push(parent);
      parent = byCode.get(parent)?.parent ?? null;
    }
    if (parent === c.code && cycle.every((code) => code >= c.code)) {
      errors.push(`事项上级关系形成循环:${[...cycle, c.code].join(' → ')}`);
    }
  }

  for (const d of departments) {
    for (const code of d.categories) {
      const c = byCode.get(code);
      if (!c) errors.push(`部门 ${d.name} 负责的事项 ${code} 不存在`);
      else if (c.department !== d.id) errors.push(`部门 ${d.name} 列为牵头的${label(c)},其牵头部门却是 ${c.department}`);
    }
  }

  for (const o of overrides) {
    const what = `区域 ${o.area} 对事项 ${o.category} 的分派例外`;
    if (!/^\d+$/.test(o.area)) errors.push(`${what}:区域应为网格编码前缀`);
    if (!byCode.has(o.category)) errors.push(`${what}:事项不存在`);
    if (!depts.has(o.department)) errors.push(`${what}:部门 ${o.department} 不存在`);
    for (const id of o.cooperating ?? []) {
      if (!depts.has(id)) errors.push(`${what}:协办部门 ${id} 不存在`);
    }
    if (o.tier !== undefined && !TIERS.includes(o.tier)) errors.push(`${what}:处置层级 ${String(o.tier)} 无效`);
  }
  return errors;
}

/** The list of matters, validated on construction (throws CatalogError). */
export class Catalog {
  private readonly byCode = new Map<string, Category>();
  private readonly kids = new Map<string | null, Category[]>();
  private readonly depts = new Map<string, Department>();
  private readonly overrides: readonly RouteOverride[];

  constructor(
    readonly categories: readonly Category[],
    readonly departments: readonly Department[],
    overrides: readonly RouteOverride[] = [],
  ) {
    const errors = validateCatalog(categories, departments, overrides);
    if (errors.length > 0) throw new CatalogError(errors);
    for (const d of departments) this.depts.set(d.id, d);
    for (const c of categories) {
      this.byCode.set(c.code, c);
      const siblings = this.kids.get(c.parent) ?? [];
      siblings.push(c);
      this.kids.set(c.parent, siblings);
    }
    for (const list of this.kids.values()) list.sort((a, b) => a.code.localeCompare(b.code));
    this.overrides = overrides;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get(code: string): Category | undefined {
    return this.byCode.get(code);
  }

  department(id: string): Department | undefined {
    return this.depts.get(id);
  }

  /** Top groups, by code. */
  roots(): Category[] {
    return [...(this.kids.get(null) ?? [])];
  }

  /** Direct children, by code; empty for a leaf or an unknown code. */
  children(code: string): Category[] {
    return [...(this.kids.get(code) ?? [])];
  }

  isLeaf(code: string): boolean {
    return this.has(code) && this.children(code).length === 0;
  }

  /** The matters an event may finally be classified as (no children), by code. */
  leaves(): Category[] {
    return this.categories.filter((c) => this.isLeaf(c.code)).sort((a, b) => a.code.localeCompare(b.code));
  }

  /** From the top group down to `code` itself; empty for an unknown code. */
  path(code: string): Category[] {
    const out: Category[] = [];
    for (let c = this.byCode.get(code); c; c = c.parent === null ? undefined : this.byCode.get(c.parent)) out.unshift(c);
    return out;
  }

  /** Whether a first report of this matter earns the 首报 reward (inherited from its group). */
  firstReportReward(code: string): boolean {
    return this.inherited(code, (c) => c.firstReportReward) ?? false;
  }

  /**
   * Where an event of this category in this grid goes, with its limits and tier.
   * Any category may be routed, a group too (an event not yet classified further).
   * Overrides: among those whose area prefixes the grid code and whose category is
   * the event's category or an ancestor, the deepest category wins, then the
   * longest area. Throws RangeError for an unknown category.
   */
  route(categoryCode: string, gridCode?: string): Route {
    const category = this.byCode.get(categoryCode);
    if (!category) throw new RangeError(`未知事项编码:${categoryCode}`);
    const override = gridCode === undefined ? null : this.overrideFor(categoryCode, gridCode);
    const department = override?.department ?? category.department;
    const cooperating = (override?.cooperating ?? this.inherited(categoryCode, (c) => c.cooperating) ?? []).filter(
      (id) => id !== department,
    );
    return {
      category,
      department,
      cooperating,
      acceptMinutes: category.acceptMinutes,
      finishLimit: category.finishLimit,
      tier: override?.tier ?? category.tier,
      verifyLimit: this.inherited(categoryCode, (c) => c.verifyLimit) ?? DEFAULT_VERIFY_LIMIT,
      firstReportReward: this.firstReportReward(categoryCode),
      override,
    };
  }

  private overrideFor(categoryCode: string, gridCode: string): RouteOverride | null {
    const depth = new Map(this.path(categoryCode).map((c, i) => [c.code, i]));
    let best: RouteOverride | null = null;
    let bestDepth = -1;
    for (const o of this.overrides) {
      const d = depth.get(o.category);
      if (d === undefined || !gridCode.startsWith(o.area)) continue;
      if (d > bestDepth || (d === bestDepth && best !== null && o.area.length > best.area.length)) {
        best = o;
        bestDepth = d;
      }
    }
    return best;
  }

  /** The nearest defined value up the tree, the category itself first. */
  private inherited<T>(code: string, pick: (c: Category) => T | undefined): T | undefined {
    const path = this.path(code);
    for (let i = path.length - 1; i >= 0; i--) {
      const value = pick(path[i] as Category);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- recommendation

/** A fix older than this is stale: the worker has probably moved on or lost signal. */
export const DEFAULT_STALE_AFTER_MS = 15 * 60_000;

export interface RecommendInput {
  /** The event's grid code. */
  grid: string;
  at: { lon: number; lat: number };
  workers: readonly Worker[];
  /** Each worker's latest fix. */
  positions: ReadonlyMap<string, PositionFix> | ((workerId: string) => PositionFix | undefined);
  /** Grid codes adjacent to a grid. */
  neighbours: (grid: string) => string[];
  now: number;
  staleAfterMs?: number;
  limit?: number;
}

export interface Recommendation {
  worker: Worker;
  /** Metres from the event to the worker's last fix; null without a fix. */
  distanceM: number | null;
  /** Responsible for the event's own grid (otherwise for a neighbouring one). */
  sameGrid: boolean;
  /** Age of the last fix (never negative); null without a fix. */
  positionAgeMs: number | null;
}

/**
 * The order of the recommendations, criterion by criterion: own grid before neighbours;
 * full-time workers before 网格联络员 (liaisons assist: "网格联络员为辅"); a fresh fix,
 * then a stale one, then none; then nearest first. The dispatch dialog heads its list
 * with these labels, so what it says is the order it shows.
 */
export const RECOMMEND_ORDER = [
  { key: 'grid', label: '本网格优先' },
  { key: 'role', label: '专职优先' },
  { key: 'fix', label: '有新定位优先' },
  { key: 'distance', label: '按距离' },
] as const;

/** The list's heading text: only on-duty workers, in RECOMMEND_ORDER. */
export const RECOMMEND_ORDER_TEXT = `在岗；${RECOMMEND_ORDER.map((c) => c.label).join('，')}`;

/** A recommendation's sort key, one number per RECOMMEND_ORDER criterion (smaller first). */
export function recommendationKey(rec: Recommendation, staleAfterMs: number = DEFAULT_STALE_AFTER_MS): number[] {
  const freshness = rec.positionAgeMs === null ? 2 : rec.positionAgeMs <= staleAfterMs ? 0 : 1;
  return [rec.sameGrid ? 0 : 1, rec.worker.role === 'liaison' ? 1 : 0, freshness, rec.distanceM ?? 0];
}

/**
 * Who to send, best first. Only on-duty workers responsible for the event's grid or
 * a neighbouring grid are candidates, in RECOMMEND_ORDER; ties by worker id so the
 * list is stable.
 */
export function recommendWorkers(input: RecommendInput): Recommendation[] {
  const staleAfter = input.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const lookup =
    typeof input.positions === 'function' ? input.positions : (id: string) => (input.positions as ReadonlyMap<string, PositionFix>).get(id);
  const near = new Set(input.neighbours(input.grid));
  near.delete(input.grid);

  const ranked: Array<{ rec: Recommendation; key: number[] }> = [];
  for (const worker of input.workers) {
    if (!worker.onDuty) continue;
    const sameGrid = worker.grids.includes(input.grid);
    if (!sameGrid && !worker.grids.some((g) => near.has(g))) continue;
    const fix = lookup(worker.id);
    const distanceM = fix ? distance([input.at.lon, input.at.lat], [fix.lon, fix.lat], { units: 'meters' }) : null;
    const positionAgeMs = fix ? Math.max(0, input.now - fix.at) : null;
    const rec: Recommendation = { worker, distanceM, sameGrid, positionAgeMs };
    ranked.push({ rec, key: recommendationKey(rec, staleAfter) });
  }
  ranked.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = (a.key[i] as number) - (b.key[i] as number);
      if (d !== 0) return d;
    }
    return a.rec.worker.id < b.rec.worker.id ? -1 : a.rec.worker.id > b.rec.worker.id ? 1 : 0;
  });
  const out = ranked.map((r) => r.rec);
  return input.limit === undefined ? out : out.slice(0, Math.max(0, input.limit));
}
