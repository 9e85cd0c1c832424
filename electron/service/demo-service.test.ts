import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateResult } from '../../core/api/validate';
import { createDemoService } from './demo-service';
import { DatasetError, loadTown, parseTown } from './dataset';
import { createDispatcher, createUnavailableService } from './service';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-town.json', import.meta.url));
const DEMO_TOWN = fileURLToPath(new URL('../../resources/demo-town/town.json', import.meta.url));
const NOW = Date.parse('2026-11-28T01:00:00Z');
const silent = { error: () => undefined };

const start = () => createDemoService({ datasetPath: FIXTURE, now: () => NOW, mode: 'web', version: '9.9.9', log: silent });

describe('createDemoService', () => {
  it('lists all grids, and one level on request, each valid by the contract', async () => {
    const service = await start();
    const all = await service.handle('grids.list', {});
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(validateResult('grids.list', all.result).ok).toBe(true);
    expect((all.result as Array<{ code: string }>).map((g) => g.code)).toEqual([
      '430624103',
      '430624103001',
      '430624103001001',
      '430624103001002',
      '430624103201',
      '430624103201001',
      '430624103201002',
      '430624103201901',
    ]);
    const villages = await service.handle('grids.list', { level: 2 });
    expect(villages.ok && (villages.result as Array<{ name: string }>).map((g) => g.name)).toEqual(['南环社区', '课功村']);
  });

  it('answers the tree with staff counts and summed households', async () => {
    const service = await start();
    const answer = await service.handle('grids.tree', undefined);
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const checked = validateResult('grids.tree', answer.result);
    expect(checked.ok).toBe(true);
    const tree = answer.result as {
      name: string;
      staff: number;
      households: number;
      children: Array<{ name: string; staff: number; households?: number; children: Array<{ name: string; kind: string; staff: number }> }>;
    };
    expect(tree.name).toBe('古培镇');
    expect(tree.staff).toBe(4);
    expect(tree.households).toBe(150 + 180 + 420 + 390);
    expect(tree.children.map((v) => [v.name, v.staff, v.households])).toEqual([
      ['南环社区', 1, 810],
      ['课功村', 3, 330],
    ]);
    const kegong = tree.children[1]!;
    expect(kegong.children.map((g) => [g.name, g.kind, g.staff])).toEqual([
      ['课功村第一网格', 'basic', 2],
      ['课功村第二网格', 'basic', 2],
      ['古培中学专属网格', 'dedicated', 1],
    ]);
  });

  it('filters workers by grid and duty', async () => {
    const service = await start();
    const byGrid = await service.handle('workers.list', { grid: '430624103201002' });
    expect(byGrid.ok && (byGrid.result as Array<{ id: string }>).map((w) => w.id)).toEqual(['w-1', 'w-3']);
    const onDuty = await service.handle('workers.list', { onDuty: false });
    expect(onDuty.ok && (onDuty.result as Array<{ id: string }>).map((w) => w.id)).toEqual(['w-3']);
  });

  it('answers departments and categories from the file', async () => {
    const service = await start();
    const departments = await service.handle('departments.list', {});
    expect(departments.ok && (departments.result as Array<{ name: string }>).map((d) => d.name)).toEqual(['综治中心', '人居环境整治办']);
    const categories = await service.handle('categories.list', {});
    expect(categories.ok && validateResult('categories.list', categories.result).ok).toBe(true);
  });

  it('says honestly that there are no events and no county link yet', async () => {
    const service = await start();
    expect(await service.handle('events.list', { paging: { offset: 20, limit: 10 } })).toEqual({
      ok: true,
      result: { items: [], total: 0, offset: 20, limit: 10 },
    });
    expect(await service.handle('events.get', { id: 'e-1' })).toEqual({ ok: true, result: null });
    expect(await service.handle('link.status', {})).toEqual({
      ok: true,
      result: { state: 'none', since: '2026-11-28T09:00:00+08:00', queueLength: 0, lastSyncAt: null, catchingUp: false },
    });
    expect(await service.handle('commands.rejected', {})).toEqual({ ok: true, result: [] });
    const info = await service.handle('app.info', {});
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    expect(validateResult('app.info', info.result).ok).toBe(true);
    const { features, ...rest } = info.result as { features: Array<{ key: string; ready: boolean }> };
    expect(rest).toEqual({ version: '9.9.9', mode: 'web', town: { code: '430624103', name: '古培镇' }, demo: true });
    expect(features.filter((f) => !f.ready).map((f) => f.key)).toEqual(['map-wall', 'console', 'county-link', 'meeting']);
  });

  it('never throws: bad method and bad args become error responses', async () => {
    const service = await start();
    expect(await service.handle('grids.drop', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await service.handle('grids.list', { level: 7 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await service.handle('events.get', null)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await service.handle(42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });
});

describe('createDispatcher', () => {
  it('turns a throwing handler into an internal error and logs it', async () => {
    const logged: string[] = [];
    const handlers = {
      'grids.list': () => {
        throw new Error('disk on fire');
      },
    };
    const handle = createDispatcher(handlers as never, { error: (m) => logged.push(m) });
    expect(await handle('grids.list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: '数据服务内部错误,请查看日志' },
    });
    expect(logged).toEqual(['[service] grids.list failed']);
    expect(await handle('departments.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('createUnavailableService gives its reason for known methods only', async () => {
    const service = createUnavailableService('演示数据缺失');
    expect(await service.handle('app.info', {})).toEqual({ ok: false, error: { code: 'unavailable', message: '演示数据缺失' } });
    expect(await service.handle('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });
});

describe('dataset loading', () => {
  const fixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown> & { grids: Array<Record<string, unknown>> };

  it('refuses a missing file, invalid JSON and an orphan grid with a readable reason', async () => {
    await expect(loadTown('/nonexistent/town.json')).rejects.toBeInstanceOf(DatasetError);
    const dir = mkdtempSync(join(tmpdir(), 'griddeck-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    await expect(loadTown(broken)).rejects.toThrow(/不是有效的 JSON/);

    const orphan = fixture();
    orphan.grids.push({ ...orphan.grids[0], code: '430624103555001', parent: '430624103555' });
    expect(() => parseTown(orphan)).toThrow(/上级 430624103555 不存在/);
  });

  it('refuses a grid that breaks the schema, naming where', () => {
    const bad = fixture();
    bad.grids[1] = { ...bad.grids[1], level: 2 };
    expect(() => parseTown(bad, 'town.json')).toThrow(/town\.json.*grids\.1/);
  });

  it('accepts grids given only in `grids`, without separate villages', () => {
    const flat = fixture();
    const villages = flat.villages as unknown[];
    const merged = { ...flat, grids: [flat.town, ...villages, ...flat.grids], villages: undefined };
    expect(parseTown(merged).grids).toHaveLength(8);
  });
});

describe.skipIf(!existsSync(DEMO_TOWN))('the bundled demo town', () => {
  it('loads, and every answer keeps the contract', async () => {
    const service = await createDemoService({ datasetPath: DEMO_TOWN, log: silent });
    const grids = await service.handle('grids.list', {});
    const tree = await service.handle('grids.tree', {});
    expect(grids.ok && validateResult('grids.list', grids.result).ok).toBe(true);
    expect(tree.ok && validateResult('grids.tree', tree.result).ok).toBe(true);
    if (!grids.ok || !tree.ok) return;
    const root = tree.result as { name: string; children: Array<{ children: unknown[] }> };
    expect(root.name).toBe('古培镇');
    const leaves = root.children.reduce((n, v) => n + v.children.length, 0);
    expect(leaves).toBe((grids.result as Array<{ level: number }>).filter((g) => g.level === 3).length);
    for (const method of ['departments.list', 'categories.list', 'workers.list', 'app.info'] as const) {
      const answer = await service.handle(method, {});
      expect(answer.ok && validateResult(method, answer.result).ok, method).toBe(true);
    }
  });
});
