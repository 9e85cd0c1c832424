// The demo data set: 古培镇 (430624103, 湘阴县, Hunan) as the seed divides it
// (方案3 五(一): 课功、汨水、南环 4 grids each; 杨梅铺、古培塘、雨坛 3; 岳峰 5; 双凤 6;
// 32 grids), plus three dedicated enterprise grids, its staff by the 1+1+1+N rule
// and the list of matters. Geometry, households, names and phones are synthetic.
// Also a benchmark county of thousands of grids in the same shape.
import { DEMO_CATEGORIES, DEMO_DEPARTMENTS } from './catalog';
import type { Category, Department, Grid, Worker } from '../../core/model';
import { buildAtoms, blob, connectedParts, membersCentroid, partition, regionGeometry, type Atoms } from './geography';
import { chineseNumber, PeopleFactory, staffVillage, type StaffingOptions } from './people';
import { createRng, type Rng } from './random';
import { allGrids, type TownDataset } from '../../core/grid/dataset';

export { allGrids, type TownDataset } from '../../core/grid/dataset';

/** The seed document's date, 2024-11-12: the seed of resources/demo-town/town.json. */
export const DEFAULT_SEED = 20241112;

/** Sequence numbers from 901 up mark dedicated grids (专属网格) in generated data. */
export const DEDICATED_SEQ_START = 901;

export interface TownOptions {
  seed: number;
}

// ---------------------------------------------------------------- shared building blocks

interface VillagePlan {
  /** Last 3 digits: 001.. for a community (居委会), 201.. for a village (村委会), as in 统计用区划代码. */
  suffix: string;
  name: string;
  community: boolean;
  grids: number;
  /** Starting centre in local metres, or null for a seeded one. */
  at: [number, number] | null;
}

interface DedicatedPlan {
  /** Suffix of the village it lies in. */
  village: string;
  name: string;
  /** Size in atoms. */
  atoms: number;
}

interface TownPlan {
  code: string;
  name: string;
  members: number[];
  villages: VillagePlan[];
  dedicated: readonly DedicatedPlan[];
  /** Relative area of a community grid against a village grid: communities are denser. */
  communityGridWeight: number;
  staffing: StaffingOptions;
}

const RURAL_HOUSEHOLDS: readonly [number, number] = [100, 200];
const COMMUNITY_HOUSEHOLDS: readonly [number, number] = [300, 500];

const seq3 = (n: number): string => String(n).padStart(3, '0');
const byCode = (a: Grid, b: Grid): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Carve a connected patch of `size` atoms out of a village's grids, keeping every grid whole and simple. */
function carve(atoms: Atoms, gridAtoms: number[][], size: number, rng: Rng): { patch: number[]; grids: number[][] } | null {
  const owner = new Map<number, number>();
  gridAtoms.forEach((list, g) => list.forEach((i) => owner.set(i, g)));
  // Prefer a seed on the line between two grids: a patch there cannot punch a hole into one grid.
  const seeds = [...owner.keys()]
    .filter((i) => atoms.neighbours[i]!.some((j) => owner.has(j) && owner.get(j) !== owner.get(i)))
    .sort((p, q) => p - q);
  for (const start of rng.shuffle(seeds).slice(0, 40)) {
    const patch = [start];
    const inPatch = new Set(patch);
    // Grow towards the nearest atoms: a compact site, as a plant or a park is.
    const d2 = (i: number): number => (atoms.x[i]! - atoms.x[start]!) ** 2 + (atoms.y[i]! - atoms.y[start]!) ** 2;
    while (patch.length < size) {
      const frontier = patch.flatMap((i) => atoms.neighbours[i]!).filter((j) => owner.has(j) && !inPatch.has(j));
      if (frontier.length === 0) break;
      const next = frontier.reduce((best, j) => (d2(j) < d2(best) || (d2(j) === d2(best) && j < best) ? j : best));
      patch.push(next);
      inPatch.add(next);
    }
    if (patch.length < size) continue;
    const rest = gridAtoms.map((list) => list.filter((i) => !inPatch.has(i)));
    const whole = rest.every((list, g) => list.length >= gridAtoms[g]!.length * 0.6 && connectedParts(atoms, list).length === 1);
    if (!whole) continue;
    const simple = rest.every((list) => {
      const geometry = regionGeometry(atoms, list);
      return geometry.type === 'Polygon' && geometry.coordinates.length === 1;
    });
    if (simple) return { patch: patch.sort((p, q) => p - q), grids: rest };
  }
  return null;
}

/** Put regions in a reading order (north to south, then west to east) so that 第一网格 is not random. */
function readingOrder(atoms: Atoms, regions: number[][]): number[][] {
  const keyed = regions.map((r) => ({ r, c: membersCentroid(atoms, r) }));
  return keyed.sort((a, b) => b.c[1] - a.c[1] || a.c[0] - b.c[0]).map((k) => k.r);
}

interface BuiltTown {
  town: Grid;
  villages: Grid[];
  grids: Grid[];
  workers: Worker[];
}

function buildTown(atoms: Atoms, plan: TownPlan, rng: Rng, people: PeopleFactory): BuiltTown {
  const weights = plan.villages.map((v) => v.grids * (v.community ? plan.communityGridWeight : 1));
  const hasInitial = plan.villages.some((v) => v.at !== null);
  const villageAtoms = partition(
    atoms,
    plan.members,
    { weights, ...(hasInitial ? { initial: plan.villages.map((v) => v.at) } : {}) },
    rng.fork('villages'),
  );

  const town: Grid = {
    code: plan.code,
    name: plan.name,
    level: 1,
    kind: 'basic',
    parent: null,
    households: 0,
    geometry: regionGeometry(atoms, plan.members),
  };
  const villages: Grid[] = [];
  const grids: Grid[] = [];
  const workers: Worker[] = [];

  plan.villages.forEach((vp, v) => {
    const code = plan.code + vp.suffix;
    const members = villageAtoms[v]!;
    const vrng = rng.fork(`village/${code}`);
    let gridAtoms = readingOrder(atoms, partition(atoms, members, { weights: Array<number>(vp.grids).fill(1) }, vrng.fork('grids')));
    const patches: { plan: DedicatedPlan; atoms: number[] }[] = [];
    for (const dp of plan.dedicated.filter((d) => d.village === vp.suffix)) {
      const carved = carve(atoms, gridAtoms, dp.atoms, vrng.fork(`carve/${dp.name}`));
      if (!carved) throw new Error(`cannot place ${dp.name} in ${vp.name}`);
      gridAtoms = carved.grids;
      patches.push({ plan: dp, atoms: carved.patch });
    }

    const village: Grid = {
      code,
      name: vp.name,
      level: 2,
      kind: 'basic',
      parent: plan.code,
      households: 0,
      geometry: regionGeometry(atoms, members),
    };
    const [lo, hi] = vp.community ? COMMUNITY_HOUSEHOLDS : RURAL_HOUSEHOLDS;
    const children: Grid[] = gridAtoms.map((list, g) => ({
      code: code + seq3(g + 1),
      name: `${vp.name}第${chineseNumber(g + 1)}网格`,
      level: 3,
      kind: 'basic',
      parent: code,
      households: vrng.int(lo, hi),
      geometry: regionGeometry(atoms, list),
    }));
    patches.forEach((p, d) => {
      children.push({
        code: code + seq3(DEDICATED_SEQ_START + d),
        name: p.plan.name,
        level: 3,
        kind: 'dedicated',
        parent: code,
        geometry: regionGeometry(atoms, p.atoms),
      });
    });
    village.households = children.reduce((s, g) => s + (g.households ?? 0), 0);
    town.households = (town.households ?? 0) + village.households;
    villages.push(village);
    grids.push(...children);
    workers.push(...staffVillage(children, people, vrng.fork('staff'), plan.staffing));
  });

  villages.sort(byCode);
  grids.sort(byCode);
  return { town, villages, grids, workers };
}

const catalog = (): { departments: Department[]; categories: Category[] } =>
  // A deep copy: the data set is the caller's to change, the catalog constants are shared.
  JSON.parse(JSON.stringify({ departments: DEMO_DEPARTMENTS, categories: DEMO_CATEGORIES })) as {
    departments: Department[];
    categories: Category[];
  };

// ---------------------------------------------------------------- 古培镇

const GUPEI = { code: '430624103', name: '古培镇', lon: 112.9, lat: 28.61, radiusM: 5800 };
/** Atoms about 250 m across: about 40 per village grid, 3–4 for a small enterprise. */
const GUPEI_SPACING_M = 250;

/** Polar start positions (degrees, fraction of the radius) keep the seed's villages in a fixed arrangement. */
const GUPEI_VILLAGES: ReadonlyArray<Omit<VillagePlan, 'at'> & { polar: [number, number] }> = [
  { suffix: '001', name: '南环社区', community: true, grids: 4, polar: [-90, 0.22] },
  { suffix: '002', name: '古培塘社区', community: true, grids: 3, polar: [60, 0.12] },
  { suffix: '201', name: '课功村', community: false, grids: 4, polar: [100, 0.62] },
  { suffix: '202', name: '汨水村', community: false, grids: 4, polar: [35, 0.62] },
  { suffix: '203', name: '杨梅铺村', community: false, grids: 3, polar: [-20, 0.6] },
  { suffix: '204', name: '雨坛村', community: false, grids: 3, polar: [-75, 0.62] },
  { suffix: '205', name: '岳峰村', community: false, grids: 5, polar: [-140, 0.6] },
  { suffix: '206', name: '双凤村', community: false, grids: 6, polar: [165, 0.6] },
];

const GUPEI_DEDICATED: readonly DedicatedPlan[] = [
  { village: '203', name: '古培工业园专属网格', atoms: 10 },
  { village: '206', name: '双凤米业有限公司专属网格', atoms: 4 },
  { village: '201', name: '课功建材厂专属网格', atoms: 4 },
];

/** Generate the demo town. Pure: the same seed gives the same data set, byte for byte. */
export function generateTown(options: TownOptions): TownDataset {
  const rng = createRng(options.seed);
  const r = GUPEI.radiusM;
  const { atoms } = buildAtoms({ lon: GUPEI.lon, lat: GUPEI.lat, halfSizeM: r * 1.4 + 3 * GUPEI_SPACING_M, spacingM: GUPEI_SPACING_M }, rng.fork('mesh'));
  const members = blob(atoms, [0, 0], r, rng.fork('outline'), 0.2);
  const [mx, my] = membersCentroid(atoms, members);
  const jitter = rng.fork('layout');
  const villages: VillagePlan[] = GUPEI_VILLAGES.map(({ polar, ...v }) => {
    const angle = ((polar[0] + jitter.float(-12, 12)) * Math.PI) / 180;
    const dist = polar[1] * r;
    return { ...v, at: [mx + dist * Math.cos(angle), my + dist * Math.sin(angle)] };
  });
  const plan: TownPlan = {
    code: GUPEI.code,
    name: GUPEI.name,
    members,
    villages,
    dedicated: GUPEI_DEDICATED,
    communityGridWeight: 0.35,
    staffing: { townWorkerSpan: 1, villageWorkerSpan: 1, liaisons: [2, 3] },
  };
  const built = buildTown(atoms, plan, rng.fork('town'), new PeopleFactory(rng.fork('people')));
  const { departments, categories } = catalog();
  return { town: built.town, villages: built.villages, grids: built.grids, departments, categories, workers: built.workers };
}

// ---------------------------------------------------------------- the benchmark county

export interface CountyOptions {
  seed: number;
  /** Number of towns; codes 430624101, 430624102, … Default 20. */
  towns?: number;
  /** Level-3 grids per town, dedicated ones included. Default 250. */
  gridsPerTown?: number;
  /** Dedicated grids per town. Default 2. */
  dedicatedPerTown?: number;
}

export interface CountyDataset {
  /** 6-digit county code. */
  county: string;
  name: string;
  towns: TownDataset[];
}

/** Every grid of the county: each town, then its villages, then its grids. */
export function countyGrids(ds: CountyDataset): Grid[] {
  return ds.towns.flatMap(allGrids);
}

export function countyWorkers(ds: CountyDataset): Worker[] {
  return ds.towns.flatMap((t) => t.workers);
}

const COUNTY = { code: '430624', name: '湘阴县', lon: 112.88, lat: 28.7 };
/** A county grid is about 0.3 km², made of about 10 atoms. */
const COUNTY_GRID_M2 = 300_000;
const COUNTY_ATOMS_PER_GRID = 10;
const COUNTY_TOWN_NAMES = [
  '青松镇', '白沙镇', '金龙镇', '荷塘镇', '石桥镇', '柳林镇', '新民镇', '长乐镇', '丰收镇', '桃花镇', '清溪镇', '双江镇',
  '白鹤镇', '龙泉镇', '东湖镇', '西岭镇', '南岗镇', '北港镇', '兴隆镇', '太平镇', '永安镇', '梅溪镇', '杉木镇', '樟树镇',
];
const VILLAGE_HEADS = [...'东西南北上下大小新老青白金石黄红马牛杨柳桃李竹松枫荷龙凤鹤'];
const VILLAGE_TAILS = [...'塘湖桥山岭冲坪湾洲港铺坝田园井坡庙垸'];
const ENTERPRISES = ['纺织厂', '建材厂', '米业公司', '物流园', '食品厂', '机械厂', '砖厂', '农产品加工厂'];

function villageCounts(total: number, rng: Rng): number[] {
  const n = Math.max(1, Math.round(total / 10));
  const counts = Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
  // Uneven villages, as in the seed (3 to 6 grids in 古培镇), without dropping below 4.
  for (let t = 0; t < n; t++) {
    const a = rng.int(0, n - 1);
    const b = rng.int(0, n - 1);
    const move = rng.int(1, 3);
    if (a !== b && counts[a]! - move >= 4) {
      counts[a]! -= move;
      counts[b]! += move;
    }
  }
  return counts;
}

/**
 * A county of `towns` towns of `gridsPerTown` level-3 grids each, in the deployed
 * code shape, for benchmarks: 20 × 250 gives 5,000 grids and about 10,000 workers.
 */
export function generateCounty(options: CountyOptions): CountyDataset {
  const towns = options.towns ?? 20;
  const perTown = options.gridsPerTown ?? 250;
  const dedicatedPerTown = options.dedicatedPerTown ?? 2;
  if (!Number.isInteger(towns) || towns < 1 || towns > 999) throw new RangeError(`towns must be 1..999: ${towns}`);
  if (!Number.isInteger(perTown) || perTown - dedicatedPerTown < 4) throw new RangeError(`gridsPerTown too small: ${perTown}`);
  const rng = createRng(options.seed);
  const total = towns * perTown;
  const radius = Math.sqrt((total * COUNTY_GRID_M2) / Math.PI);
  const spacing = Math.sqrt(COUNTY_GRID_M2 / COUNTY_ATOMS_PER_GRID);
  const { atoms } = buildAtoms({ lon: COUNTY.lon, lat: COUNTY.lat, halfSizeM: radius * 1.35 + 3 * spacing, spacingM: spacing }, rng.fork('mesh'));
  const members = blob(atoms, [0, 0], radius, rng.fork('outline'), 0.1);
  const townAtoms = readingOrder(atoms, partition(atoms, members, { weights: Array<number>(towns).fill(1) }, rng.fork('towns')));
  const people = new PeopleFactory(rng.fork('people'));
  const shared = catalog();

  const out: TownDataset[] = townAtoms.map((tm, t) => {
    const code = COUNTY.code + seq3(101 + t);
    const trng = rng.fork(`town/${code}`);
    const name = COUNTY_TOWN_NAMES[t] ?? `第${chineseNumber(t + 1)}镇`;
    const counts = villageCounts(perTown - dedicatedPerTown, trng.fork('counts'));
    const used = new Set<string>();
    const villages: VillagePlan[] = counts.map((grids, v) => {
      if (v === 0) return { suffix: '001', name: `${name.slice(0, -1)}社区`, community: true, grids, at: membersCentroid(atoms, tm) };
      let vname: string;
      do vname = trng.pick(VILLAGE_HEADS) + trng.pick(VILLAGE_TAILS) + '村';
      while (used.has(vname));
      used.add(vname);
      return { suffix: seq3(200 + v), name: vname, community: false, grids, at: null };
    });
    const dedicated: DedicatedPlan[] = Array.from({ length: dedicatedPerTown }, (_, d) => {
      const host = villages[1 + ((d * 7) % Math.max(1, villages.length - 1))] ?? villages[0]!;
      return { village: host.suffix, name: `${host.name.slice(0, -1)}${trng.pick(ENTERPRISES)}专属网格`, atoms: 3 };
    });
    const plan: TownPlan = {
      code,
      name,
      members: tm,
      villages,
      dedicated,
      communityGridWeight: 0.5,
      staffing: { townWorkerSpan: 5, villageWorkerSpan: 4, liaisons: [1, 2] },
    };
    const built = buildTown(atoms, plan, trng, people);
    return { town: built.town, villages: built.villages, grids: built.grids, departments: shared.departments, categories: shared.categories, workers: built.workers };
  });
  return { county: COUNTY.code, name: COUNTY.name, towns: out };
}
