import { describe, it, expect } from 'vitest';
import type { Clock, GridEvent } from '../model';
import { shanghaiMidnight, toIso } from '../time/shanghai';
import { steps, acceptedAt } from './history';
import {
  closureRate,
  onTimeAcceptanceRate,
  onTimeClosureRate,
  onTimeVerificationRate,
  reportAccuracy,
  reworkRate,
  satisfactionRate,
} from './rates';
import { firstReports } from './first-report';
import { assess, assessBy, assessOverTime, byAssignee, byDepartment, byGrid, byReporter, byVillage, groupEvents } from './grouping';

// ---------------------------------------------------------------- fixtures: plain GridEvent objects

/** Shanghai instant of November `day`, 2026 at `hour` (may be fractional). */
const nov = (day: number, hour = 12): number => shanghaiMidnight('2026-11-01') + (day - 1) * 86_400_000 + hour * 3_600_000;
const NOVEMBER = { from: shanghaiMidnight('2026-11-01'), to: shanghaiMidnight('2026-12-01') };
const OCTOBER = { from: shanghaiMidnight('2026-10-01'), to: shanghaiMidnight('2026-11-01') };
const DECEMBER = { from: shanghaiMidnight('2026-12-01'), to: shanghaiMidnight('2027-01-01') };

const clock = (kind: Clock['kind'], start: number, due: number, over: Partial<Clock> = {}): Clock => ({
  kind,
  limit: { value: 1, unit: 'days' },
  startedAt: toIso(start),
  dueAt: toIso(due),
  pausedAt: null,
  remainingAtPause: null,
  stoppedAt: null,
  extensions: [],
  ...over,
});

const ev = (id: string, history: Array<[number, string]>, over: Partial<GridEvent> = {}): GridEvent => ({
  id,
  code: `GP-${id}`,
  title: id,
  description: '',
  category: '0301',
  status: 'dispatched',
  urgency: 'normal',
  source: 'patrol',
  location: { lon: 112.9, lat: 28.6, address: '' },
  grid: '430181101001001',
  reportedAt: toIso(history[0]?.[0] ?? nov(1)),
  reporter: null,
  deadlines: {},
  assignee: null,
  history: history.map(([t, action]) => ({ at: toIso(t), actor: 'u', action, note: '' })),
  tier: 'general',
  selfHandled: false,
  suspendedFrom: null,
  reworkCount: 0,
  supervisionCount: 0,
  extensionRequest: null,
  satisfaction: null,
  mergedInto: null,
  photos: [],
  ...over,
});

/** An event whose finish clock is due at `due`, with the given history after its dispatch. */
const finishing = (id: string, due: number, history: Array<[number, string]>, over: Partial<GridEvent> = {}): GridEvent =>
  ev(id, [[nov(1, 0), 'event.create'], [nov(1, 1), 'event.accept'], [nov(1, 2), 'event.dispatch'], ...history], {
    deadlines: { finish: clock('finish', nov(1, 2), due) },
    ...over,
  });

const EMPTY = { numerator: 0, denominator: 0, rate: null };

// ---------------------------------------------------------------- history

describe('history facts', () => {
  it('orders steps by time, skips unreadable times, and dates 立案 of self-handled events from the report', () => {
    const e = ev('h', [[nov(2), 'event.accept'], [nov(1), 'event.create']]);
    const broken = { ...e, history: [...e.history, { at: 'yesterday', actor: 'u', action: 'event.close', note: '' }] };
    expect(steps(broken).map((s) => s.action)).toEqual(['event.create', 'event.accept']);
    expect(acceptedAt(e)).toBe(nov(2));
    expect(acceptedAt(ev('s', [[nov(3), 'event.create']], { selfHandled: true }))).toBe(nov(3));
    expect(acceptedAt(ev('s', [[nov(3), 'event.create']], { selfHandled: true, reportedAt: 'bad' }))).toBeNull();
    expect(acceptedAt(ev('n', [[nov(3), 'event.create']]))).toBeNull();
  });
});

// ---------------------------------------------------------------- 按期结案率

describe('onTimeClosureRate (按期结案率)', () => {
  const events = [
    // A: handled before the due, closed after it: on time (closing is not the handling stage).
    finishing('A', nov(10), [[nov(9), 'event.feedback'], [nov(10, 8), 'event.verify'], [nov(11), 'event.close']]),
    // B: handled after the due: late.
    finishing('B', nov(12), [[nov(13), 'event.feedback'], [nov(14), 'event.close']]),
    // C: suspended before the due and not resumed: 缓办.
    finishing('C', nov(15), [[nov(14), 'event.suspend']], { status: 'suspended' }),
    // D: handled after the original due but within the approved extension (dueAt carries it).
    finishing('D', nov(20), [[nov(18), 'event.feedback'], [nov(19), 'event.close']], {
      deadlines: { finish: clock('finish', nov(1, 2), nov(20), { extensions: [{ value: 3, unit: 'days' }] }) },
    }),
    // E: first feedback on time, sent back, second feedback late: late.
    finishing('E', nov(5), [[nov(4), 'event.feedback'], [nov(5, 8), 'event.rework'], [nov(6), 'event.feedback'], [nov(7), 'event.close']]),
    // F: closed on time, then reopened and still open: not closed, so not on time.
    finishing('F', nov(8), [[nov(7), 'event.feedback'], [nov(7, 18), 'event.close'], [nov(9), 'event.reopen']]),
    // G: suspended and resumed (the due moved), then handled in time: on time, not 缓办.
    finishing('G', nov(25), [[nov(20), 'event.suspend'], [nov(22), 'event.resume'], [nov(24), 'event.feedback'], [nov(24, 18), 'event.close']]),
    // H: due in December: outside.
    finishing('H', nov(30, 30), [[nov(2), 'event.feedback'], [nov(3), 'event.close']]),
    // I: a merged duplicate; J: escalated to the county: neither counts.
    finishing('I', nov(10), [[nov(3), 'event.merge']], { mergedInto: 'A', status: 'merged' }),
    finishing('J', nov(10), [[nov(3), 'event.escalate']], { status: 'escalated' }),
    // K: due and still being handled: counted, not on time.
    finishing('K', nov(28), []),
    // L: reopened and closed again; the last feedback before the last close is in time.
    finishing('L', nov(26), [
      [nov(20), 'event.feedback'], [nov(21), 'event.close'], [nov(22), 'event.reopen'], [nov(25), 'event.feedback'], [nov(26, 9), 'event.close'],
    ]),
    // M: closed by the dispatcher without any feedback, before the due: the close is the finish.
    finishing('M', nov(3), [[nov(2), 'event.close']]),
    // N: no feedback entry, but the clock stopped before the due.
    finishing('N', nov(4, 12), [[nov(6), 'event.close']], {
      deadlines: { finish: clock('finish', nov(1, 2), nov(4, 12), { stoppedAt: toIso(nov(4, 10)) }) },
    }),
    // No finish clock at all (never dispatched): not due.
    ev('O', [[nov(2), 'event.create']]),
  ];

  it('counts 应结案 11, 缓办 1 and 按期结案 6 (A D G L M N)', () => {
    // 应结案: A B C D E F G K L M N = 11; 缓办: C; 按期结案: A D G L M N.
    expect(onTimeClosureRate(events, NOVEMBER)).toEqual({ due: 11, suspended: 1, numerator: 6, denominator: 10, rate: 0.6 });
  });

  it('takes 应结案 from the dues inside the period', () => {
    const firstHalf = { from: NOVEMBER.from, to: nov(16, 0) };
    // Due in the first half: A B C E F M N; C is suspended at its end.
    // On time: A M N (B late, E reworked late, F reopened).
    expect(onTimeClosureRate(events, firstHalf)).toEqual({ due: 7, suspended: 1, numerator: 3, denominator: 6, rate: 0.5 });
  });

  it('counts an escalation only once it has happened', () => {
    const late = finishing('J2', nov(10), [[nov(9), 'event.feedback'], [nov(9, 18), 'event.close'], [nov(30, 23), 'event.escalate']]);
    expect(onTimeClosureRate([late], { from: NOVEMBER.from, to: nov(11) }).numerator).toBe(1);
    expect(onTimeClosureRate([late], NOVEMBER).due).toBe(0);
  });

  it('gives a null rate when everything due is suspended, and for an empty period', () => {
    expect(onTimeClosureRate([events[2] as GridEvent], NOVEMBER)).toEqual({ due: 1, suspended: 1, ...EMPTY });
    expect(onTimeClosureRate(events, OCTOBER)).toEqual({ due: 0, suspended: 0, ...EMPTY });
    expect(onTimeClosureRate([], NOVEMBER).rate).toBeNull();
  });

  it('ignores a clock with an unreadable due', () => {
    const bad = finishing('X', nov(5), [], { deadlines: { finish: { ...clock('finish', nov(1), nov(5)), dueAt: 'soon' } } });
    expect(onTimeClosureRate([bad], NOVEMBER).due).toBe(0);
  });
});

// ---------------------------------------------------------------- 结案率

describe('closureRate (结案率)', () => {
  const events = [
    ev('P', [[nov(-2), 'event.accept'], [nov(2), 'event.close']]), // accepted in October, closed in November
    ev('Q', [[nov(3), 'event.accept'], [nov(5), 'event.close'], [nov(6), 'event.reopen'], [nov(8), 'event.close']]), // once each
    ev('R', [[nov(10), 'event.accept']]), // accepted, open
    ev('S', [[nov(12, 9), 'event.create'], [nov(12, 10), 'event.close']], { selfHandled: true }), // 自巡自办: both
    ev('T', [[nov(29), 'event.accept'], [nov(32), 'event.close']]), // accepted now, closed in December
    ev('U', [[nov(3), 'event.accept'], [nov(4), 'event.merge']], { mergedInto: 'Q' }), // neither
    ev('V', [[nov(3), 'event.create'], [nov(3, 13), 'event.reject']]), // never 立案
  ];

  it('is closed (P Q S) over accepted (Q R S T)', () => {
    expect(closureRate(events, NOVEMBER)).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
  });

  it('may exceed 1 and is null without acceptances', () => {
    expect(closureRate(events, { from: nov(2, 0), to: nov(3, 0) })).toEqual({ numerator: 1, denominator: 0, rate: null });
    expect(closureRate(events, { from: nov(2, 0), to: nov(4, 0) })).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(closureRate(events, { from: nov(2, 0), to: nov(11, 0) })).toEqual({ numerator: 2, denominator: 2, rate: 1 });
    expect(closureRate(events, DECEMBER)).toEqual({ numerator: 1, denominator: 0, rate: null });
  });
});

// ---------------------------------------------------------------- 返工率

describe('reworkRate (返工率)', () => {
  const events = [
    ev('W1', [[nov(2), 'event.feedback'], [nov(3), 'event.verify']]),
    ev('W2', [[nov(2), 'event.feedback'], [nov(3), 'event.rework'], [nov(4), 'event.feedback'], [nov(5), 'event.verify']]),
    ev('W3', [[nov(2), 'event.feedback'], [nov(6), 'event.rework']]), // not verified yet
    ev('W4', [[nov(-3), 'event.feedback'], [nov(-2), 'event.verify']]), // verified in October
    ev('W5', [[nov(9), 'event.feedback'], [nov(10), 'event.verify'], [nov(12), 'event.reopen'], [nov(13), 'event.feedback'], [nov(14), 'event.rework']]),
    ev('W6', [[nov(-4), 'event.feedback'], [nov(-3), 'event.rework'], [nov(19), 'event.feedback'], [nov(20), 'event.verify']]),
  ];

  it('is reworked-before-verification (W2 W6) over verified (W1 W2 W5 W6)', () => {
    expect(reworkRate(events, NOVEMBER)).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
  });

  it('uses the last verification inside the period', () => {
    // Up to 4 Nov only W1 is verified; W2's verification falls later.
    expect(reworkRate(events, { from: NOVEMBER.from, to: nov(5, 0) })).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(reworkRate(events, OCTOBER)).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(reworkRate(events, DECEMBER)).toEqual(EMPTY);
  });
});

// ---------------------------------------------------------------- 按时受理率, 按时核查率

describe('onTimeAcceptanceRate (按时受理率)', () => {
  const accept = (id: string, start: number, due: number, history: Array<[number, string]>, over: Partial<Clock> = {}) =>
    ev(id, [[start, 'event.create'], ...history], { deadlines: { accept: clock('accept', start, due, over) } });
  const events = [
    accept('X1', nov(1, 8), nov(1, 8.5), [], { stoppedAt: toIso(nov(1, 8.3)) }), // met (clock)
    accept('X2', nov(2, 8), nov(2, 8.2), [[nov(2, 8.1), 'event.accept']]), // met (history)
    accept('X3', nov(3, 8), nov(3, 8.2), [[nov(3, 9), 'event.accept']]), // missed at its due
    accept('X4', nov(30, 23.5), nov(30, 23.9), [[nov(31, 0.3), 'event.accept']]), // missed at 30 Nov 23:54
    accept('X5', nov(0, 23.5), nov(0, 23.9), [[nov(1, 0.2), 'event.accept']]), // missed on 31 Oct
    accept('X6', nov(5, 8), nov(5, 8.5), [[nov(5, 8.2), 'event.reject']]), // 不予受理 in time: met
    accept('X7', nov(6, 8), nov(6, 8.5), [], { pausedAt: toIso(nov(6, 8.1)), remainingAtPause: 24 }), // no verdict
    accept('X8', nov(6, 9), nov(6, 9.5), []), // never decided: missed
    ev('X9', [[nov(7), 'event.create'], [nov(7, 13), 'event.accept']]), // no accept clock
    accept('X10', nov(8, 8), nov(8, 8.5), [[nov(8, 8.1), 'event.accept']]), // merged below
  ];
  events[9] = { ...(events[9] as GridEvent), mergedInto: 'X1' };

  it('is met (X1 X2 X6) over reckoned (X1 X2 X3 X4 X6 X8)', () => {
    expect(onTimeAcceptanceRate(events, NOVEMBER)).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
  });

  it('counts a late stage once, in the period where it became late', () => {
    expect(onTimeAcceptanceRate(events, OCTOBER)).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(onTimeAcceptanceRate(events, DECEMBER)).toEqual(EMPTY);
  });
});

describe('onTimeVerificationRate (按时核查率)', () => {
  const verify = (id: string, start: number, due: number, history: Array<[number, string]>, over: Partial<Clock> = {}) =>
    ev(id, [[start, 'event.feedback'], ...history], { deadlines: { verify: clock('verify', start, due, over) } });
  const events = [
    verify('Y1', nov(2, 10), nov(3, 10), [[nov(2, 15), 'event.verify']]), // met
    verify('Y2', nov(4, 10), nov(5, 10), [[nov(4, 16), 'event.rework']]), // a rework is a verification: met
    // Y3: a verification of an earlier round (before this clock started) does not count: missed at the due.
    ev('Y3', [[nov(4), 'event.feedback'], [nov(4, 13), 'event.verify'], [nov(5, 8), 'event.reopen'], [nov(5, 10), 'event.feedback']], {
      deadlines: { verify: clock('verify', nov(5, 10), nov(6, 10)) },
    }),
    verify('Y4', nov(7, 10), nov(8, 10), [], { stoppedAt: toIso(nov(8, 11)) }), // stopped after the due
  ];

  it('is met (Y1 Y2) over reckoned (Y1 Y2 Y3 Y4)', () => {
    expect(onTimeVerificationRate(events, NOVEMBER)).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(onTimeVerificationRate(events, { from: nov(4, 0), to: nov(7, 0) })).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
  });
});

// ---------------------------------------------------------------- 满意率, 上报准确率

describe('satisfactionRate and reportAccuracy', () => {
  it('is (满意 + 基本满意) over events evaluated in the period', () => {
    const events = [
      ev('Z1', [[nov(2), 'event.evaluate']], { satisfaction: 'satisfied' }),
      ev('Z2', [[nov(3), 'event.evaluate']], { satisfaction: 'basicallySatisfied' }),
      ev('Z3', [[nov(4), 'event.evaluate']], { satisfaction: 'dissatisfied' }),
      ev('Z4', [[nov(-4), 'event.evaluate']], { satisfaction: 'dissatisfied' }), // October
      ev('Z5', [[nov(5), 'event.evaluate']]), // no value recorded
    ];
    expect(satisfactionRate(events, NOVEMBER)).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(satisfactionRate(events, DECEMBER)).toEqual(EMPTY);
  });

  it('is accepted over decided reports', () => {
    const events = [
      ev('R1', [[nov(2), 'event.create'], [nov(2, 13), 'event.accept']]),
      ev('R2', [[nov(3), 'event.create'], [nov(3, 13), 'event.reject']]),
      ev('R3', [[nov(4), 'event.create'], [nov(4, 13), 'event.accept'], [nov(5), 'event.reject']]), // first decision counts
      ev('R4', [[nov(-2), 'event.create'], [nov(-2, 13), 'event.accept']]), // October
      ev('R5', [[nov(6), 'event.create']]), // undecided
    ];
    expect(reportAccuracy(events, NOVEMBER)).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
  });
});

// ---------------------------------------------------------------- 首报

describe('firstReports (首报)', () => {
  const worker = (workerId: string) => ({ name: workerId, workerId });
  const resident = { name: '张三', phone: '13800000000' };
  const report = (id: string, at: number, over: Partial<GridEvent> = {}) => ev(id, [[at, 'event.create']], over);
  const events = [
    // Incident 1: the hotline report survived; w1 reported earliest, w2 in between (merged via E2).
    report('E1', nov(3, 10), { reporter: resident, category: '0602', source: 'hotline' }),
    report('E2', nov(3, 9), { reporter: worker('w1'), mergedInto: 'E1', category: '0301' }),
    report('E3', nov(3, 9.5), { reporter: worker('w2'), mergedInto: 'E2' }),
    // Incident 2: alone, not rewarded.
    report('E4', nov(5), { reporter: worker('w1'), category: '0301' }),
    // Incident 3: a resident was first.
    report('E5', nov(6), { reporter: resident, category: '0701' }),
    report('E6', nov(7), { reporter: worker('w2'), mergedInto: 'E5' }),
    // Incident 4: first reported in October.
    report('E7', nov(-1), { reporter: worker('w2'), category: '0401' }),
    report('E8', nov(2), { reporter: worker('w1'), mergedInto: 'E7' }),
    // Incident 5: merged into an event not in the list: the winner's own category decides.
    report('E9', nov(8), { reporter: worker('w2'), mergedInto: 'gone', category: '0401' }),
    // Incident 6: two reports at the same instant: the lower id wins.
    report('E11', nov(9), { reporter: worker('w2'), category: '0301' }),
    report('E10', nov(9), { reporter: worker('w1'), mergedInto: 'E11' }),
  ];

  it('credits the earliest report of each incident', () => {
    const { reports, byWorker } = firstReports(events, NOVEMBER);
    expect(reports.map((r) => [r.groupId, r.event.id, r.workerId, r.duplicates])).toEqual([
      ['E1', 'E2', 'w1', 2],
      ['E4', 'E4', 'w1', 0],
      ['E5', 'E5', null, 1],
      ['gone', 'E9', 'w2', 0],
      ['E11', 'E10', 'w1', 1],
    ]);
    expect(Object.fromEntries(byWorker)).toEqual({ w1: 3, w2: 1 });
  });

  it('counts only rewarded categories when asked, judged by the surviving event', () => {
    const rewarded = (code: string) => ['04', '06', '07'].some((p) => code.startsWith(p));
    const { reports, byWorker } = firstReports(events, NOVEMBER, { rewarded });
    expect(reports.map((r) => r.event.id)).toEqual(['E2', 'E5', 'E9']);
    expect(Object.fromEntries(byWorker)).toEqual({ w1: 1, w2: 1 });
    expect(Object.fromEntries(firstReports(events, OCTOBER, { rewarded }).byWorker)).toEqual({ w2: 1 });
  });

  it('survives a merge cycle and an unreadable report time', () => {
    const loop = [
      report('C1', nov(4), { reporter: worker('w3'), mergedInto: 'C2' }),
      report('C2', nov(5), { reporter: worker('w4'), mergedInto: 'C1' }),
      report('C3', nov(1), { reporter: worker('w5'), reportedAt: 'unknown' }),
    ];
    const { reports } = firstReports(loop, NOVEMBER);
    expect(reports.map((r) => [r.event.id, r.duplicates])).toEqual([['C1', 1]]);
  });
});

// ---------------------------------------------------------------- grouping

describe('grouping', () => {
  const VILLAGE_A = '430181101001';
  const VILLAGE_B = '430181101002';
  const events = [
    ev('G1', [[nov(2), 'event.accept'], [nov(3), 'event.close']], {
      grid: `${VILLAGE_A}001`, reporter: { name: 'w1', workerId: 'w1' }, assignee: { kind: 'department', id: 'dept-hb', cooperating: [] },
    }),
    ev('G2', [[nov(2), 'event.accept']], {
      grid: `${VILLAGE_A}002`, reporter: { name: 'w2', workerId: 'w2' }, assignee: { kind: 'person', id: 'w9', cooperating: [] },
    }),
    ev('G3', [[nov(1, 20), 'event.create'], [nov(1, 23.5), 'event.accept'], [nov(2, 9), 'event.close']], {
      grid: `${VILLAGE_B}001`, reporter: { name: 'w1', workerId: 'w1' }, assignee: { kind: 'department', id: 'dept-hb', cooperating: [] },
    }),
    // A duplicate of G2 reported earlier in another village by w1: w1 has the first report, credited to village B.
    ev('G4', [[nov(1, 8), 'event.create']], { grid: `${VILLAGE_B}002`, reporter: { name: 'w1', workerId: 'w1' }, mergedInto: 'G2' }),
    ev('G5', [[nov(4), 'event.accept']], { grid: '430181101' }), // filed on the town: no village
  ];

  it('partitions events by key and leaves out events without one', () => {
    expect([...groupEvents(events, byVillage).keys()]).toEqual([VILLAGE_A, VILLAGE_B]);
    expect([...groupEvents(events, byGrid).keys()]).toHaveLength(5);
    expect([...groupEvents(events, byReporter)].map(([k, l]) => [k, l.length])).toEqual([['w1', 3], ['w2', 1]]);
    expect([...groupEvents(events, byDepartment)].map(([k, l]) => [k, l.length])).toEqual([['dept-hb', 2]]);
    expect([...groupEvents(events, byAssignee).keys()]).toEqual(['w9']);
  });

  it('assesses each group with the same formulas, crediting first reports to the winning report', () => {
    const town = assess(events, NOVEMBER);
    expect(town.closure).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(town.firstReports).toBe(4); // G1, G3, G4 (for G2), G5

    const byV = assessBy(events, NOVEMBER, byVillage);
    expect(byV.get(VILLAGE_A)?.closure).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(byV.get(VILLAGE_A)?.firstReports).toBe(1);
    expect(byV.get(VILLAGE_B)?.closure).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(byV.get(VILLAGE_B)?.firstReports).toBe(2);

    const byW = assessBy(events, NOVEMBER, byReporter);
    expect(byW.get('w1')?.firstReports).toBe(3);
    expect(byW.get('w2')?.firstReports).toBe(0);
    expect(byW.get('w1')?.onTimeClosure).toEqual({ due: 0, suspended: 0, ...EMPTY });

    const rewardedNone = assess(events, NOVEMBER, { rewarded: () => false });
    expect(rewardedNone.firstReports).toBe(0);
  });

  it('buckets by Shanghai day: an acceptance at 23:30 local on 1 Nov is on 1 Nov', () => {
    const days = assessOverTime(events, { from: nov(1, 0), to: nov(4, 0) }, 'day');
    expect(days.map((d) => [d.label, d.assessment.closure.numerator, d.assessment.closure.denominator])).toEqual([
      ['2026-11-01', 0, 1],
      ['2026-11-02', 1, 2],
      ['2026-11-03', 1, 0],
    ]);
    expect(days[0]?.assessment.firstReports).toBe(2); // G3 and G4 were reported on 1 Nov
  });
});
