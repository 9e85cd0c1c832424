// The county by itself, in manual-clock mode: events arrive with the mix and the
// rhythm, move on through departments, workers and the county, and the same seed
// with the same ticks gives the same county, restart or not.
import { afterAll, describe, expect, it } from 'vitest';
import type { GridEvent } from '../../core/model';
import { parseIso, shanghaiMinuteOfDay } from '../../core/time/shanghai';
import { createRng } from '../../county/demo/random';
import { arrivals, HOUR_PROFILE, plan, rateFactor } from './activity';
import { startCountySimulator, type CountySimulator } from './index';
import { tempDir } from './test-client';

const TOWN = '430624103';
// Monday 2026-11-30 00:00 in Shanghai.
const T0 = Date.parse('2026-11-30T00:00:00+08:00');
const HOUR = 3_600_000;

const tmp = tempDir();
afterAll(() => tmp.remove());

async function runDays(name: string, seed: number, hours: number, stepMs = 10 * 60_000): Promise<CountySimulator> {
  const sim = await startCountySimulator({ port: 0, seed, dbFile: tmp.file(name), clock: () => T0, activity: { manual: true, eventsPerHour: 6 } });
  for (let t = 0; t < hours * HOUR; t += stepMs) sim.tick(stepMs);
  return sim;
}

const count = (events: GridEvent[], test: (e: GridEvent) => boolean): number => events.filter(test).length;

describe('activity', () => {
  it('is deterministic: the same seed and ticks give identical snapshots, another seed does not', async () => {
    const a = await runDays('det-a.sqlite', 5, 30);
    const b = await runDays('det-b.sqlite', 5, 30);
    const c = await runDays('det-c.sqlite', 6, 30);
    const sa = a.snapshot(TOWN);
    expect(sa.events.length).toBeGreaterThan(50);
    expect(b.snapshot(TOWN)).toEqual(sa);
    expect(c.snapshot(TOWN).events).not.toEqual(sa.events);
    await Promise.all([a.close(), b.close(), c.close()]);
  }, 60_000);

  it('continues identically after a restart on the same file', async () => {
    const whole = await runDays('whole.sqlite', 9, 20);
    const file = tmp.file('halves.sqlite');
    const first = await startCountySimulator({ port: 0, seed: 9, dbFile: file, clock: () => T0, activity: { manual: true, eventsPerHour: 6 } });
    for (let t = 0; t < 10 * HOUR; t += 10 * 60_000) first.tick(10 * 60_000);
    await first.close();
    // The clock passed in now is older than the county's own: the county keeps its time.
    const second = await startCountySimulator({ port: 0, seed: 9, dbFile: file, clock: () => T0, activity: { manual: true, eventsPerHour: 6 } });
    expect(second.now()).toBe(T0 + 10 * HOUR);
    for (let t = 0; t < 10 * HOUR; t += 10 * 60_000) second.tick(10 * 60_000);
    expect(second.snapshot(TOWN)).toEqual(whole.snapshot(TOWN));
    await Promise.all([whole.close(), second.close()]);
  }, 60_000);

  it('moves events on like a town does: dispatch, feedback, verification, rework, returns, closing, overdue', async () => {
    const sim = await runDays('life.sqlite', 3, 24 * 5);
    const { events } = sim.snapshot(TOWN);
    const actions = new Set(events.flatMap((e) => e.history.map((h) => h.action)));
    for (const a of ['event.create', 'event.accept', 'event.dispatch', 'event.feedback', 'event.verify', 'event.close', 'event.return', 'event.rework', 'event.reject', 'event.evaluate']) {
      expect(actions).toContain(a);
    }
    expect(count(events, (e) => e.status === 'closed')).toBeGreaterThan(events.length / 4);
    // Some were fed back after their finish limit (超期).
    const late = events.filter((e) => {
      const f = e.deadlines.finish;
      return f?.stoppedAt != null && parseIso(f.stoppedAt) > parseIso(f.dueAt);
    });
    expect(late.length).toBeGreaterThan(0);
    // 自巡自办: handled on the spot by the grid worker, closed without verification.
    expect(count(events, (e) => e.selfHandled && e.status === 'closed')).toBeGreaterThan(0);
    // Departments act as departments; workers verify their own grids.
    const verify = events.flatMap((e) => e.history.filter((h) => h.action === 'event.verify'));
    expect(verify.every((h) => /^w-\d+$/.test(h.actor))).toBe(true);
    await sim.close();
  }, 60_000);

  it('has the realistic mix and the daily rhythm', async () => {
    const sim = await runDays('mix.sqlite', 4, 24 * 4);
    const { events } = sim.snapshot(TOWN);
    const group = (g: string) => count(events, (e) => e.category.startsWith(g));
    expect(group('03') + group('01')).toBeGreaterThan(6 * group('06'));
    expect(group('03')).toBeGreaterThan(group('06'));
    const hourOf = (e: GridEvent) => Math.floor(shanghaiMinuteOfDay(parseIso(e.reportedAt)) / 60);
    const day = count(events, (e) => hourOf(e) >= 8 && hourOf(e) < 18);
    const night = count(events, (e) => hourOf(e) < 6);
    expect(day).toBeGreaterThan(6 * night);
    const sources = new Set(events.map((e) => e.source));
    for (const s of ['patrol', 'hotline', 'wechat', 'sensor']) expect(sources).toContain(s);
    // Patrol reports only while grid workers are on duty.
    expect(events.filter((e) => e.source === 'patrol').every((e) => hourOf(e) >= 8 && hourOf(e) < 18)).toBe(true);
    expect(count(events, (e) => e.urgency !== 'normal')).toBeGreaterThan(0);
    // Every event lies in its grid's town and carries a case number of the day.
    expect(events.every((e) => e.grid.startsWith(TOWN) && /^GP\d{8}-\d{4}$/.test(e.code))).toBe(true);
    await sim.close();
  }, 60_000);

  it('feeds escalated events back as the county, after a while', async () => {
    const sim = await startCountySimulator({ port: 0, seed: 8, dbFile: tmp.file('esc.sqlite'), clock: () => T0 + 9 * HOUR, activity: { manual: true, eventsPerHour: 0, autoDispatchAfterMs: null } });
    const id = sim.createEvent(TOWN, { category: '0104' });
    const d = { id: 'd', role: 'dispatcher' } as const;
    expect(sim.apply(TOWN, 'event.accept', { id }, d)).toEqual({ ok: true });
    expect(sim.apply(TOWN, 'event.escalate', { id, reason: '涉及多个乡镇，需县级协调' }, d)).toEqual({ ok: true });
    sim.tick(HOUR);
    expect(sim.snapshot(TOWN).events[0]!.status).toBe('escalated');
    for (let i = 0; i < 24 * 4; i++) sim.tick(HOUR);
    const e = sim.snapshot(TOWN).events.find((x) => x.id === id)!;
    const feedback = e.history.find((h) => h.action === 'event.feedback');
    expect(feedback?.actor).toBe('county-430624');
    expect(['handled', 'verified', 'escalated', 'dispatched']).toContain(e.status);
    await sim.close();
  }, 60_000);

  it('leaves the town its work when autoDispatchAfterMs is null', async () => {
    const sim = await startCountySimulator({ port: 0, seed: 8, dbFile: tmp.file('noauto.sqlite'), clock: () => T0 + 9 * HOUR, activity: { manual: true, eventsPerHour: 3, autoDispatchAfterMs: null } });
    for (let i = 0; i < 48; i++) sim.tick(HOUR);
    const { events } = sim.snapshot(TOWN);
    expect(events.length).toBeGreaterThan(10);
    // Nothing is accepted by the county: only self-handled reports left the 'reported' state.
    expect(events.every((e) => e.status === 'reported' || e.selfHandled)).toBe(true);
    await sim.close();
  }, 60_000);
});

describe('history of a new demo county', () => {
  it('runs the given past up to the clock once, on a new file only, as if it had been running', async () => {
    const file = tmp.file('history.sqlite');
    const end = T0 + 36 * HOUR;
    const sim = await startCountySimulator({ port: 0, seed: 12, dbFile: file, clock: () => end, activity: { historyMs: 36 * HOUR, eventsPerHour: 6 } });
    expect(sim.now()).toBe(end);
    const { events } = sim.snapshot(TOWN);
    const reported = events.map((e) => parseIso(e.reportedAt));
    // A day and a half of arrivals, spread over it, and none from the future.
    expect(events.length).toBeGreaterThan(100);
    expect(Math.min(...reported)).toBeLessThan(T0 + 6 * HOUR);
    expect(Math.max(...reported)).toBeLessThanOrEqual(end);
    // Events of the first day have moved on: some closed, some still with departments.
    const older = events.filter((e) => parseIso(e.reportedAt) < T0 + 12 * HOUR);
    expect(count(older, (e) => e.status === 'closed')).toBeGreaterThan(0);
    expect(count(events, (e) => e.status !== 'closed' && e.status !== 'rejected')).toBeGreaterThan(0);
    // Grid workers' reports carry a site photo, departments' feedback often one after the work:
    // small offline images (data: URIs within core's 500-character photo reference).
    const photos = events.flatMap((e) => e.photos);
    expect(count(events, (e) => e.source === 'patrol' && e.photos.length > 0)).toBeGreaterThan(0);
    expect(count(events, (e) => e.photos.length === 2)).toBeGreaterThan(0);
    expect(events.every((e) => e.photos.length === 0 || e.history[0]?.actor.startsWith('w') || e.history.some((h) => h.action === 'event.feedback'))).toBe(true);
    for (const p of photos) {
      expect(p.startsWith('data:image/svg+xml,')).toBe(true);
      expect(p.length).toBeLessThanOrEqual(500);
      expect(decodeURIComponent(p.slice('data:image/svg+xml,'.length))).toContain('模拟现场照片');
    }
    await sim.close();
    // A restart on the same file does not replay the past again.
    const again = await startCountySimulator({ port: 0, seed: 12, dbFile: file, clock: () => end, activity: { historyMs: 36 * HOUR, eventsPerHour: 6 } });
    expect(again.snapshot(TOWN).events.length).toBe(events.length);
    await again.close();
  }, 60_000);
});

describe('activity pieces', () => {
  it('the daily profile averages 1 and peaks in office hours', () => {
    expect(HOUR_PROFILE.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 10);
    expect(rateFactor(Date.parse('2026-11-30T09:30:00+08:00'))).toBeGreaterThan(5 * rateFactor(Date.parse('2026-11-30T03:00:00+08:00')));
  });

  it('arrivals follow the rate: about perHour × hours over whole days, none for an empty span', () => {
    const times = arrivals(createRng(1), T0, T0 + 20 * 24 * HOUR, 10);
    expect(times.length).toBeGreaterThan(4400);
    expect(times.length).toBeLessThan(5200);
    expect(times.every((t, i) => t > T0 && (i === 0 || t >= times[i - 1]!))).toBe(true);
    expect(arrivals(createRng(1), T0, T0, 10)).toEqual([]);
    expect(arrivals(createRng(1), T0, T0 + HOUR, 0)).toEqual([]);
  });

  it('plans nothing for events that are over or wait for the town', () => {
    const base = { id: 'e', history: [{ at: '2026-11-30T09:00:00+08:00', actor: 'x', action: 'event.create', note: '' }], reportedAt: '2026-11-30T09:00:00+08:00', satisfaction: 'satisfied', deadlines: {} } as unknown as GridEvent;
    for (const status of ['rejected', 'merged', 'suspended'] as const) expect(plan({ ...base, status }, { seed: 1, autoDispatchAfterMs: 600_000 })).toBeNull();
    expect(plan({ ...base, status: 'reported' }, { seed: 1, autoDispatchAfterMs: null })).toBeNull();
    expect(plan({ ...base, status: 'reported' }, { seed: 1, autoDispatchAfterMs: 600_000 })).toEqual({ at: parseIso(base.reportedAt) + 600_000, kind: 'auto-accept' });
    expect(plan({ ...base, status: 'closed' }, { seed: 1, autoDispatchAfterMs: 600_000 })).toBeNull();
  });

  it('does not let a remark restart what comes next', () => {
    const e = {
      id: 'e',
      status: 'dispatched',
      reworkCount: 0,
      reportedAt: '2026-11-30T09:00:00+08:00',
      assignee: { kind: 'department', id: 'dept-rj', cooperating: [] },
      deadlines: { finish: { dueAt: '2026-12-02T17:30:00+08:00' } },
      history: [
        { at: '2026-11-30T09:00:00+08:00', actor: 'x', action: 'event.create', note: '' },
        { at: '2026-11-30T09:10:00+08:00', actor: 'x', action: 'event.dispatch', note: '' },
      ],
    } as unknown as GridEvent;
    const o = { seed: 1, autoDispatchAfterMs: 600_000 };
    const before = plan(e, o)!;
    expect(before.kind).toMatch(/^assignee-/);
    const remarked = { ...e, history: [...e.history, { at: '2026-11-30T15:00:00+08:00', actor: 'd', action: 'event.comment', note: '请尽快' }] };
    expect(plan(remarked, o)).toEqual(before);
    const moved = { ...e, history: [...e.history, { at: '2026-11-30T15:00:00+08:00', actor: 'd', action: 'event.rework', note: '' }], reworkCount: 1 };
    expect(plan(moved, o)).not.toEqual(before);
  });
});
