import { describe, expect, it } from 'vitest';
import type { Grid } from '../../core/model';
import { chineseNumber, PeopleFactory, staffVillage } from './people';
import { createRng } from './random';

describe('chineseNumber', () => {
  it('writes numbers as in 第十二网格', () => {
    const cases: [number, string][] = [
      [1, '一'],
      [9, '九'],
      [10, '十'],
      [11, '十一'],
      [20, '二十'],
      [35, '三十五'],
      [100, '一百'],
      [101, '一百零一'],
      [110, '一百一十'],
      [999, '九百九十九'],
      [1000, '一千'],
      [1001, '一千零一'],
      [2030, '二千零三十'],
    ];
    for (const [n, text] of cases) expect(chineseNumber(n), String(n)).toBe(text);
  });

  it('refuses what it cannot write', () => {
    expect(() => chineseNumber(0)).toThrow(RangeError);
    expect(() => chineseNumber(1.5)).toThrow(RangeError);
    expect(() => chineseNumber(10_000)).toThrow(RangeError);
  });
});

describe('PeopleFactory', () => {
  it('draws unique names and mobile numbers, and numbered ids', () => {
    const people = new PeopleFactory(createRng(1));
    const names = new Set<string>();
    const phones = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const name = people.name();
      expect(name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      names.add(name);
      const phone = people.phone();
      expect(phone).toMatch(/^1[3-9]\d{9}$/);
      phones.add(phone);
    }
    expect(names.size).toBe(3000);
    expect(phones.size).toBe(3000);
    expect(people.nextId()).toBe('w-0001');
    expect(people.worker('liaison', ['430624103201001'])).toMatchObject({ id: 'w-0002', role: 'liaison', grids: ['430624103201001'], onDuty: true });
  });

  it('grows ids past four digits', () => {
    const people = new PeopleFactory(createRng(1));
    for (let i = 0; i < 9999; i++) people.nextId();
    expect(people.nextId()).toBe('w-10000');
  });
});

describe('staffVillage', () => {
  const g = (seq: string, kind: Grid['kind'] = 'basic'): Grid => ({
    code: `430624103201${seq}`,
    name: seq,
    level: 3,
    kind,
    parent: '430624103201',
    geometry: { type: 'Polygon', coordinates: [] },
  });
  const grids = [g('001'), g('002'), g('003'), g('004'), g('005'), g('901', 'dedicated')];

  it('gives every grid 1 leader, 1 town worker, 1 village worker and N liaisons', () => {
    const workers = staffVillage(grids, new PeopleFactory(createRng(2)), createRng(3));
    for (const grid of grids) {
      const on = (role: string) => workers.filter((w) => w.role === role && w.grids.includes(grid.code));
      expect(on('gridLeader'), grid.code).toHaveLength(1);
      expect(on('townWorker')).toHaveLength(1);
      expect(on('villageWorker')).toHaveLength(1);
      expect(on('liaison').length).toBeGreaterThanOrEqual(2);
      expect(on('liaison').length).toBeLessThanOrEqual(3);
    }
    // The 联村领导 leads the basic grids; the enterprise has its own 帮包 leader.
    const leaders = workers.filter((w) => w.role === 'gridLeader');
    expect(leaders.map((w) => w.grids)).toEqual([grids.slice(0, 5).map((x) => x.code), [grids[5]!.code]]);
  });

  it('lets one worker serve several grids when asked', () => {
    const workers = staffVillage(grids, new PeopleFactory(createRng(2)), createRng(3), { townWorkerSpan: 4, villageWorkerSpan: 3, liaisons: [1, 1] });
    expect(workers.filter((w) => w.role === 'townWorker').map((w) => w.grids.length)).toEqual([4, 2]);
    expect(workers.filter((w) => w.role === 'villageWorker').map((w) => w.grids.length)).toEqual([3, 3]);
    expect(workers.filter((w) => w.role === 'liaison')).toHaveLength(6);
  });
});
