// The consultation meeting over a real replica: the agenda's candidates and their
// reasons, decisions run through the outbox signed by the leader, the presenter's state
// surviving a restart (the replica opened again), the minutes filed and read back, and
// the next meeting opening with the last one's decisions.
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../core/api/channels';
import type { ApiResponse, ResultOf } from '../../../core/api/contract';
import { CONTRACT, PUSH_TOPICS } from '../../../core/api/contract';
import type { CommandName } from '../../../core/events/commands';
import type { Actor, GridEvent } from '../../../core/model';
import { createReplicaService, type ReplicaService } from '../replica-service';
import type { Replica } from '../replica/replica';
import { DISPATCHER, GRID_A, GRID_B, HOUR, T0, batch, countyEvent, eventItem, openReplica, runCommands, seededReplica, tempDir } from '../replica/test-fixtures';

const DAY = 24 * HOUR;
const NOW = T0 + 40 * DAY;
const LEADER: Caller = { role: 'leader', user: { id: 'u-lead', name: '王镇长', username: 'leader' } };
const SECRETARY: Caller = { role: 'secretary', user: { id: 'u-sec', name: '刘秘书', username: 'secretary' } };
const RJ: Actor = { id: 'op-rj', role: 'department', departmentId: 'dept-rj' };
const COUNTY: Actor = { id: 'county', role: 'county' };

type Step = [CommandName, Record<string, unknown>, number, Actor?];
const run = (event: GridEvent, steps: Step[]): GridEvent => steps.reduce((e, [name, args, at, actor]) => runCommands(e, [[name, args, at]], actor ?? DISPATCHER), event);
const dispatchTo = (id: string, at: number, extra: Record<string, unknown> = {}): Step => ['event.dispatch', { id, to: { kind: 'department', id: 'dept-rj' }, ...extra }, at];

/** One event per reason, a hotspot of three, and a plain accepted event that has none. */
function hardCases(): GridEvent[] {
  const recent = NOW - 5 * DAY;
  const at = (n: number) => recent + n * HOUR;
  return [
    // Dispatched 40 days ago: its finish clock ran out long ago.
    countyEvent({ id: 'e-overdue', title: '道路塌陷未修复', at: T0 }, 'dispatched'),
    run(countyEvent({ id: 'e-returned', title: '违建争议', at: recent }, 'accepted'), [
      dispatchTo('e-returned', at(1)), ['event.return', { id: 'e-returned', reason: '不属本部门' }, at(2), RJ],
      dispatchTo('e-returned', at(3)), ['event.return', { id: 'e-returned', reason: '仍不属本部门' }, at(4), RJ],
    ]),
    run(countyEvent({ id: 'e-rework', title: '垃圾清运不彻底', at: recent }, 'dispatched'), [
      ['event.feedback', { id: 'e-rework', note: '已清理' }, at(1), RJ], ['event.rework', { id: 'e-rework', reason: '现场仍有垃圾' }, at(2)],
    ]),
    run(countyEvent({ id: 'e-suspended', title: '历史遗留纠纷', at: T0 }, 'accepted'), [['event.suspend', { id: 'e-suspended', reason: '等待司法判决' }, T0 + HOUR]]),
    run(countyEvent({ id: 'e-coop', title: '河道污染', grid: GRID_B, category: '0302', at: recent }, 'accepted'), [dispatchTo('e-coop', at(1), { cooperating: ['dept-hb'] })]),
    run(countyEvent({ id: 'e-sentback', title: '跨镇边界纠纷', at: recent }, 'accepted'), [
      ['event.escalate', { id: 'e-sentback', reason: '超出乡镇权限' }, at(1)], ['event.feedback', { id: 'e-sentback', note: '退回乡镇处理' }, at(2), COUNTY],
    ]),
    ...[1, 2, 3].map((n) => countyEvent({ id: `e-hot-${n}`, title: '夜间噪音扰民', grid: GRID_B, category: '0105', at: at(n) }, 'reported')),
    countyEvent({ id: 'e-plain', title: '路灯不亮', grid: GRID_A, category: '0201', at: at(10) }, 'accepted'),
  ];
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function open(file: string, seeded: boolean): Promise<{ replica: Replica; service: ReplicaService }> {
  const { replica, clock } = seeded ? await seededReplica(file) : await openReplica(file);
  clock.now = NOW;
  const service = createReplicaService({ replica, meetingDb: replica.store(), clock: () => NOW, log: { error: () => undefined } });
  const close = async () => {
    await service.close();
    await replica.close();
  };
  cleanup.push(close);
  return { replica, service };
}

const call = async <T,>(service: ReplicaService, method: string, args: unknown, caller: Caller): Promise<T> => {
  const r = (await service.handle(method, args, caller)) as ApiResponse<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result;
};

describe('the consultation meeting (会商)', () => {
  it('gathers the candidates with their reasons, runs decisions through the outbox, resumes after a restart, files the minutes', async () => {
    const tmp = tempDir();
    cleanup.push(async () => tmp.cleanup());
    const first = await open(tmp.file('replica.sqlite'), true);
    // One hard case with a resident's name and phone: the meeting's screens see them masked.
    const events = hardCases().map((e) => (e.id === 'e-returned' ? { ...e, reporter: { name: '张三丰', phone: '13812345678' } } : e));
    first.replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));

    const candidates = await call<ResultOf<'meeting.candidates'>>(first.service, 'meeting.candidates', {}, SECRETARY);
    const reasons = new Map(candidates.map((c) => [c.key, c.reasons.map((r) => r.code)]));
    expect(reasons.get('e-overdue')).toContain('overdue');
    expect(reasons.get('e-returned')).toContain('returned');
    expect(reasons.get('e-rework')).toContain('reworked');
    expect(reasons.get('e-suspended')).toContain('suspended');
    expect(reasons.get('e-coop')).toContain('multiDepartment');
    expect(reasons.get('e-sentback')).toContain('sentBack');
    expect(reasons.get(`hotspot:${GRID_B}:0105`)).toEqual(['hotspot']);
    expect(reasons.has('e-plain')).toBe(false);
    // A longer setting leaves the 40-day suspension out.
    const patient = await call<ResultOf<'meeting.candidates'>>(first.service, 'meeting.candidates', { suspendedDays: 60 }, SECRETARY);
    expect(patient.some((c) => c.key === 'e-suspended')).toBe(false);

    const created = await call<ResultOf<'meeting.create'>>(first.service, 'meeting.create', {
      title: '2026年第1次网格化工作会商会', date: '2027-01-09', place: '镇政府三楼会议室', chair: '王镇长',
      attendees: [{ name: '王镇长', title: '镇长' }, { name: '赵主任', title: '网格化办主任' }], departments: ['dept-rj', 'dept-hb'],
    }, SECRETARY);
    const id = created.meeting.id;
    for (const key of ['e-returned', `hotspot:${GRID_B}:0105`]) await call(first.service, 'meeting.item.add', { meetingId: id, key }, SECRETARY);
    const agenda = await call<ResultOf<'meeting.item.add'>>(first.service, 'meeting.item.add', { meetingId: id, topic: '春节前安全隐患排查部署' }, SECRETARY);
    expect(agenda.map((i) => [i.order, i.kind])).toEqual([[1, 'event'], [2, 'hotspot'], [3, 'topic']]);
    expect((await first.service.handle('meeting.decide', { meetingId: id, itemId: agenda[0]!.id, action: 'keep', instruction: 'x' }, SECRETARY)).ok).toBe(false);

    // The leader presents the second item, then decides the first: a dispatch signed by the leader, queued in the outbox.
    const view = { camera: { lon: 112.9, lat: 28.6, zoom: 15, bearing: 0, pitch: 0 } };
    const state = await call<ResultOf<'meeting.present'>>(first.service, 'meeting.present', { meetingId: id, itemId: agenda[1]!.id, view }, LEADER);
    expect(state).toMatchObject({ itemId: agenda[1]!.id, view, by: '会商:王镇长', meeting: { status: 'inProgress' } });
    expect(state.figures).toMatchObject({ sameCategory30d: 3 });
    // What the followers receive passes the contract's schemas (the renderer's client checks every push and answer).
    expect(() => PUSH_TOPICS['meeting.state'].parse(state)).not.toThrow();
    expect(() => CONTRACT['meeting.state'].result.parse(state)).not.toThrow();
    const before = first.replica.queueLength();
    const decision = await call<ResultOf<'meeting.decide'>>(first.service, 'meeting.decide', {
      meetingId: id, itemId: agenda[0]!.id, action: 'dispatch', leadDepartment: 'dept-gt', cooperating: ['dept-rj'], deadline: '2027-01-16', instruction: '由国土所牵头,一周内拆除', snapshot: PNG,
    }, LEADER);
    expect(first.replica.queueLength()).toBe(before + 1);
    expect(decision).toMatchObject({ action: 'dispatch', commandId: expect.stringMatching(/:\d+$/), decidedBy: { id: 'u-lead', role: 'leader' }, hasSnapshot: true });
    expect(first.replica.getEvent('e-returned')).toMatchObject({ status: 'dispatched', assignee: { id: 'dept-gt', cooperating: ['dept-rj'] } });
    // A decision the workflow refuses keeps nothing: the event is dispatched already.
    const refused = await first.service.handle('meeting.decide', { meetingId: id, itemId: agenda[0]!.id, action: 'dispatch', leadDepartment: 'dept-gt', instruction: '再派' }, LEADER);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-transition' } });
    expect((await call<ResultOf<'meeting.get'>>(first.service, 'meeting.get', { id }, SECRETARY))!.decisions).toHaveLength(1);
    // The secretary runs the agenda but does not decide.
    expect(await first.service.handle('meeting.decide', { meetingId: id, itemId: agenda[2]!.id, action: 'keep', instruction: '下周再议' }, SECRETARY)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await call(first.service, 'meeting.decide', { meetingId: id, itemId: agenda[2]!.id, action: 'keep', deadline: '2027-01-20', instruction: '各村于1月20日前完成排查' }, LEADER);
    await call(first.service, 'meeting.item.note', { meetingId: id, itemId: agenda[0]!.id, note: '国土所与住建部门意见不一,领导协调后明确由国土所牵头' }, SECRETARY);

    // The data service restarts: the replica is opened again and the meeting goes on at the same item.
    await cleanup.pop()!();
    const second = await open(tmp.file('replica.sqlite'), false);
    const resumed = await call<ResultOf<'meeting.state'>>(second.service, 'meeting.state', {}, { role: 'viewer' });
    expect(resumed).toMatchObject({ itemId: agenda[1]!.id, view, version: state.version });
    expect(await call(second.service, 'view.shared', {}, { role: 'viewer' })).toMatchObject({ view, by: '会商:王镇长' });
    // An event on screen travels with the state (a follower shows it without asking back), masked as each screen may see it.
    const pushed: Partial<Record<'viewer' | 'dispatcher', ResultOf<'meeting.state'>>> = {};
    for (const role of ['viewer', 'dispatcher'] as const) {
      cleanup.push(async () => off());
      const off = second.service.subscribe((topic, payload) => {
        if (topic === 'meeting.state') pushed[role] = payload as ResultOf<'meeting.state'>;
      }, { role });
    }
    const onEvent = await call<ResultOf<'meeting.present'>>(second.service, 'meeting.present', { meetingId: id, itemId: agenda[0]!.id }, LEADER);
    expect(onEvent.event).toMatchObject({ id: 'e-returned', status: 'dispatched', history: expect.arrayContaining([expect.objectContaining({ action: 'event.return' })]) });
    expect(pushed.dispatcher?.event?.reporter).toEqual({ name: '张三丰', phone: '138****5678' });
    expect(pushed.viewer?.event?.reporter?.name).not.toContain('三丰');
    expect(pushed.viewer?.event?.reporter?.phone).toBe('138****5678');
    expect(() => PUSH_TOPICS['meeting.state'].parse(pushed.viewer)).not.toThrow();

    const minutes = await call<ResultOf<'meeting.end'>>(second.service, 'meeting.end', { meetingId: id }, SECRETARY);
    expect(minutes).toMatchObject({ number: '网格会商〔2027〕1号', formats: ['docx', 'pdf'], eventIds: ['e-returned'] });
    expect(await call(second.service, 'meeting.state', {}, { role: 'viewer' })).toBeNull();
    expect((await call<ResultOf<'minutes.list'>>(second.service, 'minutes.list', { department: 'dept-gt' }, LEADER)).map((m) => m.id)).toEqual([minutes.id]);
    expect(await call(second.service, 'minutes.list', { eventId: 'e-overdue' }, LEADER)).toEqual([]);
    expect((await call<ResultOf<'minutes.search'>>(second.service, 'minutes.search', { text: '国土所牵头' }, LEADER)).length).toBe(1);

    const file = await call<ResultOf<'minutes.download'>>(second.service, 'minutes.download', { id: minutes.id, format: 'docx' }, SECRETARY);
    expect(file.masked).toBe(true);
    const zip = await JSZip.loadAsync(Buffer.from(file.base64, 'base64'));
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    for (const text of ['王镇长', '赵主任', '镇政府三楼会议室', '违建争议', '春节前安全隐患排查部署', '由国土所牵头,一周内拆除', '网格会商〔2027〕1号']) expect(xml).toContain(text);
    const pdf = await call<ResultOf<'minutes.download'>>(second.service, 'minutes.download', { id: minutes.id, format: 'pdf' }, LEADER);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    // The next meeting opens with the last meeting's decisions and whether each was kept.
    const next = await call<ResultOf<'meeting.create'>>(second.service, 'meeting.create', { title: '第2次会商', date: '2027-01-16', place: '会议室', chair: '王镇长', attendees: [], departments: [] }, SECRETARY);
    expect(next.items.map((i) => [i.kind, i.outcome])).toEqual([['followup', 'pending'], ['followup', 'pending']]);
    const followups = await call<ResultOf<'meeting.followups'>>(second.service, 'meeting.followups', {}, { role: 'dispatcher' });
    expect(followups.map((f) => f.decision.deadline).sort()).toEqual(['2027-01-16', '2027-01-20']);
  }, 60_000);
});

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
