import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { area } from '@turf/area';
import { bbox } from '@turf/bbox';
import { centroid } from '@turf/centroid';
import { distance } from '@turf/distance';
import { DEMO_CATEGORIES, DEMO_DEPARTMENTS } from './catalog';
import { parseGridCode } from '../../core/grid/codes';
import { checkTreeCoverage } from '../../core/grid/coverage';
import { buildGridTree } from '../../core/grid/hierarchy';
import type { Grid, Worker } from '../../core/model';
import { formatDatasetJson } from './serialize';
import { allGrids, countyGrids, countyWorkers, DEFAULT_SEED, generateCounty, generateTown, type TownDataset } from './town';

const ds = generateTown({ seed: DEFAULT_SEED });

/** The seed's division of 古培镇 (方案3 五(一)). */
const SEED_COUNTS: Record<string, number> = {
  课功村: 4,
  汨水村: 4,
  南环社区: 4,
  杨梅铺村: 3,
  古培塘社区: 3,
  雨坛村: 3,
  岳峰村: 5,
  双凤村: 6,
};

/** The 1+1+1+N rule, checked for every level-3 grid of a data set; returns the broken ones. */
function staffRuleViolations(grids: readonly Grid[], workers: readonly Worker[], liaisons: [number, number]): string[] {
  const bad: string[] = [];
  for (const g of grids.filter((x) => x.level === 3)) {
    const count = (role: Worker['role']): number => workers.filter((w) => w.role === role && w.grids.includes(g.code)).length;
    const n = count('liaison');
    if (count('gridLeader') !== 1 || count('townWorker') !== 1 || count('villageWorker') !== 1 || n < liaisons[0] || n > liaisons[1]) {
      bad.push(g.code);
    }
  }
  return bad;
}

describe('generateTown: 古培镇 as the seed divides it', () => {
  it('is the town 430624103 with 8 villages and communities and 35 level-3 grids', () => {
    expect(ds.town).toMatchObject({ code: '430624103', name: '古培镇', level: 1, parent: null });
    expect(ds.villages.map((v) => [v.code, v.name])).toEqual([
      ['430624103001', '南环社区'],
      ['430624103002', '古培塘社区'],
      ['430624103201', '课功村'],
      ['430624103202', '汨水村'],
      ['430624103203', '杨梅铺村'],
      ['430624103204', '雨坛村'],
      ['430624103205', '岳峰村'],
      ['430624103206', '双凤村'],
    ]);
    expect(ds.grids).toHaveLength(35);
    expect(allGrids(ds)).toEqual([ds.town, ...ds.villages, ...ds.grids]);
  });

  it('gives each village the seed’s number of basic grids, 32 in all', () => {
    const counts = Object.fromEntries(ds.villages.map((v) => [v.name, ds.grids.filter((g) => g.parent === v.code && g.kind === 'basic').length]));
    expect(counts).toEqual(SEED_COUNTS);
    expect(ds.grids.filter((g) => g.kind === 'basic')).toHaveLength(32);
  });

  it('names and numbers basic grids 第一网格 … with sequence 001.., dedicated ones 9xx', () => {
    const shuangfeng = ds.grids.filter((g) => g.parent === '430624103206' && g.kind === 'basic');
    expect(shuangfeng.map((g) => [g.code.slice(12), g.name])).toEqual([
      ['001', '双凤村第一网格'],
      ['002', '双凤村第二网格'],
      ['003', '双凤村第三网格'],
      ['004', '双凤村第四网格'],
      ['005', '双凤村第五网格'],
      ['006', '双凤村第六网格'],
    ]);
    const dedicated = ds.grids.filter((g) => g.kind === 'dedicated');
    expect(dedicated.map((g) => [g.code, g.name])).toEqual([
      ['430624103201901', '课功建材厂专属网格'],
      ['430624103203901', '古培工业园专属网格'],
      ['430624103206901', '双凤米业有限公司专属网格'],
    ]);
    for (const g of dedicated) expect(parseGridCode(g.code)).toMatchObject({ ok: true, level: 3, seq: 901 });
  });

  it('is a valid hierarchy with valid codes', () => {
    expect(buildGridTree(allGrids(ds)).errors).toEqual([]);
    for (const g of allGrids(ds)) expect(parseGridCode(g.code).ok, g.code).toBe(true);
  });

  it('tiles exactly at every level', () => {
    const r = checkTreeCoverage(allGrids(ds));
    expect(r.reports).toHaveLength(9);
    expect(r.ok).toBe(true);
  });

  it('sits near lon 112.90, lat 28.61, about 12 km across, 80–130 km²', () => {
    const [lon, lat] = centroid(ds.town.geometry).geometry.coordinates as [number, number];
    expect(Math.abs(lon - 112.9)).toBeLessThan(0.02);
    expect(Math.abs(lat - 28.61)).toBeLessThan(0.02);
    const [minX, minY, maxX, maxY] = bbox(ds.town.geometry);
    const width = distance([minX, lat], [maxX, lat], { units: 'kilometers' });
    const height = distance([lon, minY], [lon, maxY], { units: 'kilometers' });
    expect(width).toBeGreaterThan(10);
    expect(width).toBeLessThan(15);
    expect(height).toBeGreaterThan(10);
    expect(height).toBeLessThan(15);
    const km2 = area(ds.town.geometry) / 1e6;
    expect(km2).toBeGreaterThan(80);
    expect(km2).toBeLessThan(130);
  });

  it('has simple polygons (one ring, no hole) with at most 6 decimals', () => {
    for (const g of allGrids(ds)) {
      expect(g.geometry.type, g.name).toBe('Polygon');
      const rings = g.geometry.type === 'Polygon' ? g.geometry.coordinates : [];
      expect(rings, g.name).toHaveLength(1);
      for (const [x, y] of rings[0]!) {
        expect(Math.round(x! * 1e6) / 1e6).toBe(x);
        expect(Math.round(y! * 1e6) / 1e6).toBe(y);
      }
    }
  });

  it('keeps community grids smaller than village grids, dedicated grids small', () => {
    const km2 = (g: Grid): number => area(g.geometry) / 1e6;
    const community = ds.grids.filter((g) => g.code.slice(9, 12) < '200' && g.kind === 'basic').map(km2);
    const rural = ds.grids.filter((g) => g.code.slice(9, 12) >= '200' && g.kind === 'basic').map(km2);
    expect(Math.max(...community)).toBeLessThan(Math.min(...rural));
    for (const g of ds.grids.filter((x) => x.kind === 'dedicated')) expect(km2(g)).toBeLessThan(1);
  });

  it('gives households by the seed’s ranges and sums them upwards', () => {
    for (const g of ds.grids) {
      const community = g.code.slice(9, 12) < '200';
      if (g.kind === 'dedicated') expect(g.households).toBeUndefined();
      else if (community) expect(g.households! >= 300 && g.households! <= 500, g.name).toBe(true);
      else expect(g.households! >= 100 && g.households! <= 200, g.name).toBe(true);
    }
    for (const v of ds.villages) {
      expect(v.households).toBe(ds.grids.filter((g) => g.parent === v.code).reduce((s, g) => s + (g.households ?? 0), 0));
    }
    expect(ds.town.households).toBe(ds.villages.reduce((s, v) => s + v.households!, 0));
  });
});

describe('generateTown: staff by the 1+1+1+N rule', () => {
  it('holds for every grid: 1 leader, 1 town worker, 1 village worker, 2–3 liaisons', () => {
    expect(staffRuleViolations(ds.grids, ds.workers, [2, 3])).toEqual([]);
  });

  it('has each village’s 联村领导 lead all its basic grids, and a 帮包 leader per enterprise', () => {
    for (const v of ds.villages) {
      const basic = ds.grids.filter((g) => g.parent === v.code && g.kind === 'basic').map((g) => g.code);
      expect(ds.workers.filter((w) => w.role === 'gridLeader' && w.grids.join() === basic.join()), v.name).toHaveLength(1);
    }
    for (const g of ds.grids.filter((x) => x.kind === 'dedicated')) {
      expect(ds.workers.filter((w) => w.role === 'gridLeader' && w.grids.includes(g.code))[0]!.grids).toEqual([g.code]);
    }
  });

  it('numbers workers w-0001.. with unique synthetic names and phones, all on duty', () => {
    expect(ds.workers.map((w) => w.id)).toEqual(ds.workers.map((_, i) => `w-${String(i + 1).padStart(4, '0')}`));
    expect(new Set(ds.workers.map((w) => w.name)).size).toBe(ds.workers.length);
    expect(new Set(ds.workers.map((w) => w.phone)).size).toBe(ds.workers.length);
    const codes = new Set(ds.grids.map((g) => g.code));
    for (const w of ds.workers) {
      expect(w.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(w.onDuty).toBe(true);
      expect(w.grids.length).toBeGreaterThan(0);
      for (const c of w.grids) expect(codes.has(c)).toBe(true);
    }
    // The seed's real leaders are not used as synthetic names.
    expect(ds.workers.map((w) => w.name)).not.toContain('黄浩');
  });
});

describe('generateTown: catalog', () => {
  it('carries the demo departments and list of matters, as copies', () => {
    expect(ds.departments).toEqual(DEMO_DEPARTMENTS);
    expect(ds.categories).toEqual(DEMO_CATEGORIES);
    ds.departments[0]!.name = 'changed';
    expect(DEMO_DEPARTMENTS[0]!.name).not.toBe('changed');
  });
});

describe('generateTown: determinism and the committed file', () => {
  it('gives the same data set for the same seed', () => {
    expect(formatDatasetJson(generateTown({ seed: DEFAULT_SEED }))).toBe(formatDatasetJson(generateTown({ seed: DEFAULT_SEED })));
  });

  it('gives a different town for a different seed, with the same structure', () => {
    const other = generateTown({ seed: 1 });
    expect(other.grids.map((g) => g.code)).toEqual(generateTown({ seed: DEFAULT_SEED }).grids.map((g) => g.code));
    expect(other.town.geometry).not.toEqual(ds.town.geometry);
    expect(other.workers.map((w) => w.name)).not.toEqual(ds.workers.map((w) => w.name));
    expect(buildGridTree(allGrids(other)).errors).toEqual([]);
    expect(checkTreeCoverage(allGrids(other)).ok).toBe(true);
  });

  it('resources/demo-town/town.json is exactly a fresh generation with the default seed', () => {
    const file = readFileSync(new URL('../../resources/demo-town/town.json', import.meta.url), 'utf8');
    const fresh = formatDatasetJson(generateTown({ seed: DEFAULT_SEED }));
    // Compare parsed first for a readable diff, then byte for byte.
    expect(JSON.parse(file) as TownDataset).toEqual(JSON.parse(fresh) as TownDataset);
    expect(file).toBe(fresh);
  });
});

describe('generateCounty', () => {
  const county = generateCounty({ seed: 3, towns: 2, gridsPerTown: 50 });
  const grids = countyGrids(county);

  it('makes towns 430624101.. of the asked size, in the deployed code shape', () => {
    expect(county.county).toBe('430624');
    expect(county.towns.map((t) => t.town.code)).toEqual(['430624101', '430624102']);
    for (const t of county.towns) {
      expect(t.grids).toHaveLength(50);
      expect(t.grids.filter((g) => g.kind === 'dedicated')).toHaveLength(2);
      expect(t.villages.filter((v) => v.name.endsWith('社区')).map((v) => v.code.slice(9))).toEqual(['001']);
    }
    for (const g of grids) expect(parseGridCode(g.code).ok, g.code).toBe(true);
    expect(buildGridTree(grids).errors).toEqual([]);
  });

  it('tiles the county at every level', () => {
    const r = checkTreeCoverage(grids);
    expect(r.reports.length).toBe(2 + county.towns.reduce((s, t) => s + t.villages.length, 0));
    expect(r.ok).toBe(true);
  });

  it('staffs every grid by the 1+1+1+N rule with county-wide unique ids', () => {
    const workers = countyWorkers(county);
    expect(staffRuleViolations(grids, workers, [1, 2])).toEqual([]);
    expect(new Set(workers.map((w) => w.id)).size).toBe(workers.length);
  });

  it('is deterministic', () => {
    expect(formatDatasetJson(generateCounty({ seed: 3, towns: 2, gridsPerTown: 50 }))).toBe(formatDatasetJson(county));
  });

  it('refuses sizes it cannot build', () => {
    expect(() => generateCounty({ seed: 1, towns: 0 })).toThrow(/towns/);
    expect(() => generateCounty({ seed: 1, towns: 1, gridsPerTown: 5 })).toThrow(/gridsPerTown/);
  });

  it('builds the benchmark county: 5,000 grids and about 10,000 workers', () => {
    const big = generateCounty({ seed: DEFAULT_SEED });
    const all = countyGrids(big);
    expect(big.towns).toHaveLength(20);
    expect(all.filter((g) => g.level === 3)).toHaveLength(5000);
    const workers = countyWorkers(big).length;
    expect(workers).toBeGreaterThan(9000);
    expect(workers).toBeLessThan(12_000);
    expect(new Set(all.map((g) => g.code)).size).toBe(all.length);
  }, 120_000);
});
