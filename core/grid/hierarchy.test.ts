import { describe, expect, it } from 'vitest';
import type { Grid } from '../model';
import { buildGridTree } from './hierarchy';

const square = (x: number, y: number, s = 0.01): Grid['geometry'] => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
});

const grid = (code: string, name: string, extra: Partial<Grid> = {}): Grid => ({
  code,
  name,
  level: code.length === 9 ? 1 : code.length === 12 ? 2 : 3,
  kind: 'basic',
  parent: code.length === 9 ? null : code.slice(0, code.length === 12 ? 9 : 12),
  geometry: square(112.9, 28.6),
  ...extra,
});

const T = '430624103';
const V1 = '430624103201';
const V2 = '430624103001';
const valid = (): Grid[] => [
  grid(T, '古培镇'),
  grid(V1, '课功村'),
  grid(V2, '南环社区'),
  grid(`${V1}002`, '课功村第二网格'),
  grid(`${V1}001`, '课功村第一网格'),
  grid(`${V1}901`, '课功建材厂专属网格', { kind: 'dedicated' }),
  grid(`${V2}001`, '南环社区第一网格'),
];

describe('buildGridTree on a valid set', () => {
  const { tree, errors } = buildGridTree(valid());

  it('reports no error', () => {
    expect(errors).toEqual([]);
    expect(tree.size).toBe(7);
  });

  it('has the town as the only root', () => {
    expect(tree.roots.map((g) => g.code)).toEqual([T]);
  });

  it('lists children by code', () => {
    expect(tree.children(T).map((g) => g.code)).toEqual([V2, V1]);
    expect(tree.children(V1).map((g) => g.code)).toEqual([`${V1}001`, `${V1}002`, `${V1}901`]);
    expect(tree.children(`${V1}001`)).toEqual([]);
    expect(tree.children('430624103999')).toEqual([]);
  });

  it('finds by code, parent and ancestors (nearest first)', () => {
    expect(tree.byCode(`${V1}901`)?.name).toBe('课功建材厂专属网格');
    expect(tree.byCode('nope')).toBeUndefined();
    expect(tree.parent(`${V1}001`)?.code).toBe(V1);
    expect(tree.parent(T)).toBeUndefined();
    expect(tree.parent('430624103201777')).toBeUndefined();
    expect(tree.ancestors(`${V1}001`).map((g) => g.code)).toEqual([V1, T]);
    expect(tree.ancestors(T)).toEqual([]);
    expect(tree.ancestors('430624103201777')).toEqual([]);
  });

  it('lists descendants depth first, optionally of one level', () => {
    expect(tree.descendants(T).map((g) => g.code)).toEqual([V2, `${V2}001`, V1, `${V1}001`, `${V1}002`, `${V1}901`]);
    expect(tree.descendants(T, 3).map((g) => g.code)).toEqual([`${V2}001`, `${V1}001`, `${V1}002`, `${V1}901`]);
    expect(tree.descendants(T, 2).map((g) => g.code)).toEqual([V2, V1]);
    expect(tree.descendants(V1, 3)).toHaveLength(3);
  });

  it('lists a level by code', () => {
    expect(tree.atLevel(1).map((g) => g.code)).toEqual([T]);
    expect(tree.atLevel(2).map((g) => g.code)).toEqual([V2, V1]);
    expect(tree.atLevel(3)).toHaveLength(4);
  });
});

describe('buildGridTree finds planted errors', () => {
  const errorsOf = (grids: Grid[]): string[] => buildGridTree(grids).errors;

  it('a dedicated grid attached directly to the town', () => {
    const errors = errorsOf([...valid(), grid(`${V1}902`, '某企业专属网格', { kind: 'dedicated', parent: T })]);
    expect(errors).toEqual([
      `网格 ${V1}902(某企业专属网格):专属网格必须属于村或社区,不能直接隶属于镇 ${T}`,
      `网格 ${V1}902(某企业专属网格):上级应为编码前缀 ${V1},实际为 ${T}`,
    ]);
  });

  it('a dedicated grid given a village-level code, i.e. directly under the town', () => {
    const errors = errorsOf([...valid(), grid('430624103299', '某企业专属网格', { kind: 'dedicated' })]);
    expect(errors).toEqual(['网格 430624103299(某企业专属网格):专属网格必须是第3级网格(15位编码),属于某个村或社区']);
  });

  it('a parent that is not the code prefix', () => {
    const errors = errorsOf([...valid(), grid(`${V1}003`, '课功村第三网格', { parent: V2 })]);
    expect(errors).toEqual([`网格 ${V1}003(课功村第三网格):上级应为编码前缀 ${V1},实际为 ${V2}`]);
  });

  it('a missing parent, and the orphan is kept as a root', () => {
    const { tree, errors } = buildGridTree([...valid(), grid('430624103204001', '雨坛村第一网格')]);
    expect(errors).toEqual(['网格 430624103204001(雨坛村第一网格):上级 430624103204 不存在']);
    expect(tree.roots.map((g) => g.code)).toEqual([T, '430624103204001']);
  });

  it('a duplicate code: the first one stays', () => {
    const { tree, errors } = buildGridTree([...valid(), grid(`${V1}001`, '重复网格')]);
    expect(errors).toEqual([`网格编码 ${V1}001 重复:“课功村第一网格”与“重复网格”`]);
    expect(tree.byCode(`${V1}001`)?.name).toBe('课功村第一网格');
    expect(tree.size).toBe(7);
  });

  it('an invalid code is reported and left out', () => {
    const { tree, errors } = buildGridTree([...valid(), grid('430624103201000', '零号网格')]);
    expect(errors).toEqual(['网格编码“430624103201000”无效:网格编码的网格序号(第13–15位)应为001–999,不能为000']);
    expect(tree.size).toBe(7);
  });

  it('a level that does not match the code length', () => {
    const errors = errorsOf([...valid(), grid(`${V1}003`, '课功村第三网格', { level: 2 })]);
    expect(errors).toEqual([`网格 ${V1}003(课功村第三网格):层级应为3(网格,编码15位),实际为2`]);
  });

  it('an empty name', () => {
    const errors = errorsOf([...valid(), grid(`${V1}003`, '  ')]);
    expect(errors).toEqual([`网格 ${V1}003:名称为空`]);
  });

  it('a town with a parent', () => {
    const errors = errorsOf([grid(T, '古培镇', { parent: '430624' })]);
    expect(errors).toEqual([`网格 ${T}(古培镇):镇级网格不应有上级,实际上级为 430624`]);
  });

  it('an unknown kind and a broken geometry', () => {
    const errors = errorsOf([
      grid(T, '古培镇'),
      grid(V1, '课功村', { kind: 'special' as Grid['kind'] }),
      grid(V2, '南环社区', { geometry: { type: 'Point', coordinates: [1, 2] } as unknown as Grid['geometry'] }),
      grid(`${V1}001`, '一', { geometry: undefined as unknown as Grid['geometry'] }),
      grid(`${V1}002`, '二', { geometry: { type: 'Polygon', coordinates: [] } }),
    ]);
    expect(errors).toEqual([
      `网格 ${V1}(课功村):类型应为basic(基础网格)或dedicated(专属网格),实际为special`,
      `网格 ${V2}(南环社区):边界类型应为Polygon或MultiPolygon,实际为Point`,
      `网格 ${V1}001(一):缺少边界(geometry)`,
      `网格 ${V1}002(二):边界没有坐标`,
    ]);
  });
});
