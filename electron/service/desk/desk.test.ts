// The command desk over a real replica file, with no county link (everything queued):
// a supervision goes to the outbox with its record in the same transaction, the 督办 list
// follows the case and alerts when it is overdue, the 督办单 holds the form's fields,
// the work lists, and a rule that dispatches by itself does so once.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../core/api/contract';
import type { Caller } from '../../../core/api/channels';
import type { GridEvent } from '../../../core/model';
import { parseIso } from '../../../core/time/shanghai';
import type { Replica } from '../replica/replica';
import { GRID_B, HOUR, MINUTE, T0, batch, countyEvent, eventItem, seededReplica, tempDir } from '../replica/test-fixtures';
import { createReplicaService } from '../replica-service';
import type { ApiService } from '../service';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;
const clock = { now: T0 + 10 * MINUTE };

const LEADER: Caller = { role: 'leader', user: { id: 'u-leader', username: 'leader', name: '李镇长' } };
const DISPATCHER: Caller = { role: 'dispatcher', user: { id: 'u-d', username: 'disp', name: '王调度' } };
const DEPT_RJ: Caller = { role: 'department', departmentId: 'dept-rj', user: { id: 'u-rj', username: 'rj', name: '人居办甲', departmentId: 'dept-rj' } };
const DEPT_GD: Caller = { role: 'department', departmentId: 'dept-gd', user: { id: 'u-gd', username: 'gd', name: '供电所甲', departmentId: 'dept-gd' } };

async function call<T>(method: string, args: unknown, caller: Caller = DISPATCHER): Promise<T> {
  const r = await service.handle(method, args, caller);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}
async function refusal(method: string, args: unknown, caller: Caller): Promise<string> {
  const r = await service.handle(method, args, caller);
  return r.ok ? 'ok' : r.error.code;
}

const RULES = {
  version: 1,
  rules: [
    { id: 'outage', name: '停电报修直派供电所', category: '0505', to: { kind: 'department', id: 'dept-gd' }, auto: true },
    { id: 'outage-b', name: '乙村停电报修', category: '0505', area: GRID_B.slice(0, 12), to: { kind: 'gridWorker' }, auto: false },
    { id: 'sanitation', name: '环境卫生人居办牵头', category: '03', to: { kind: 'department', id: 'dept-rj' }, cooperating: ['dept-zf'] },
    { id: 'broken', name: '坏规则', category: '0301', to: { kind: 'department' } },
  ],
};

const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('desk.db'), { now: () => clock.now })).replica;
  const events: GridEvent[] = [
    countyEvent({ id: 'sup', at: T0 - HOUR }, 'dispatched'),
    countyEvent({ id: 'acc', at: T0 }, 'accepted'),
  ];
  replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
  const rulesFile = tmp.file('rules.json');
  writeFileSync(rulesFile, JSON.stringify(RULES));
  service = createReplicaService({ replica, clock: () => clock.now, dispatchRules: rulesFile });
});

afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

type Items = ResultOf<'desk.supervisions'>;

describe('supervision (督办)', () => {
  let id = 0;
  it('a leader supervises: event.supervise is queued for the county, the level, deadline and number kept in the town', async () => {
    const queued = replica.queueLength();
    const r = await call<ResultOf<'desk.supervise'>>('desk.supervise', { eventId: 'sup', level: 'leader', requirement: '请三日内清理完毕并回复' }, LEADER);
    id = r.supervision.id;
    expect(r.supervision).toMatchObject({ number: '督办〔2026〕1号', level: 'leader', eventId: 'sup', by: { name: '李镇长', role: 'leader' } });
    // 2 working days from Monday 09:10: the end of Wednesday.
    expect(r.supervision.deadline).toBe('2026-12-02T17:30:00+08:00');
    expect(r.event.supervisionCount).toBe(1);
    expect(replica.queueLength()).toBe(queued + 1);
    const note = r.event.history.at(-1)?.note ?? '';
    expect(note).toContain('领导督办（督办〔2026〕1号');
    expect(note).toContain('请三日内清理完毕并回复');
    // The next one numbers on.
    const second = await call<ResultOf<'desk.supervise'>>('desk.supervise', { eventId: 'acc', level: 'dispatch', requirement: '尽快派遣' }, DISPATCHER);
    expect(second.supervision.number).toBe('督办〔2026〕2号');
  });

  it('lists supervisions with their follow-up; a department sees those of its own cases only', async () => {
    const all = await call<Items>('desk.supervisions', {}, LEADER);
    expect(all.map((i) => i.supervision.eventId)).toEqual(['acc', 'sup']);
    expect(all.every((i) => i.state === 'open')).toBe(true);
    const mine = await call<Items>('desk.supervisions', {}, DEPT_RJ);
    expect(mine.map((i) => i.supervision.eventId)).toEqual(['sup']);
    expect(await call<Items>('desk.supervisions', {}, DEPT_GD)).toEqual([]);
    expect(await refusal('desk.supervise', { eventId: 'sup', level: 'leader', requirement: 'x' }, DEPT_RJ)).toBe('forbidden');
    expect(await refusal('desk.worklist', { kind: 'suspended' }, DEPT_RJ)).toBe('forbidden');
    expect(await refusal('desk.supervisions', {}, { role: 'viewer' })).toBe('forbidden');
  });

  it('alerts the overdue ones, and follows the department\'s answer', async () => {
    clock.now = parseIso('2026-12-03T09:00:00+08:00');
    expect((await call<Items>('desk.supervisions', { state: 'overdue' }, LEADER)).map((i) => i.supervision.eventId)).toEqual(['sup']);
    await call('event.feedback', { id: 'sup', note: '已清理完毕' }, DEPT_RJ);
    const [item] = await call<Items>('desk.supervisions', { eventId: 'sup' }, LEADER);
    expect(item?.state).toBe('answered');
    expect(item?.followUp.map((h) => h.action)).toEqual(['event.feedback']);
    expect(await call<Items>('desk.supervisions', { state: 'overdue' }, LEADER)).toEqual([]);
  });

  it('produces the 督办单 as Word with the form\'s fields and the progress since', async () => {
    const file = await call<ResultOf<'desk.supervisionDocument'>>('desk.supervisionDocument', { id, format: 'docx' }, LEADER);
    expect(file.filename).toBe('督办〔2026〕1号-GP-sup.docx');
    const zip = await JSZip.loadAsync(Buffer.from(file.base64, 'base64'));
    const text = ((await zip.file('word/document.xml')?.async('string')) ?? '').replace(/<[^>]+>/g, '');
    for (const t of ['督办单', '督办〔2026〕1号', '领导督办', '督办事项', 'GP-sup 垃圾乱堆乱放', '承办单位', '人居环境整治办', '办理时限', '2026-12-02 17:30前办复', '督办要求', '请三日内清理完毕并回复', '签发', '李镇长（领导）', '已清理完毕', '抄送：镇纪委']) {
      expect(text).toContain(t);
    }
    expect(await refusal('desk.supervisionDocument', { id, format: 'pdf' }, DEPT_GD)).toBe('not-found');
  });

  it('and as PDF, which poppler reads back', async () => {
    const file = await call<ResultOf<'desk.supervisionDocument'>>('desk.supervisionDocument', { id, format: 'pdf' }, DEPT_RJ);
    const path = tmp.file('sv.pdf');
    writeFileSync(path, Buffer.from(file.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const t of ['督办单', '督办〔2026〕1号', '领导督办', '人居环境整治办', '请三日内清理完毕并回复']) expect(text).toContain(t);
  });
});

describe('work lists', () => {
  it('suspended with how long, pending extensions approved from the list, returned, due within a working day', async () => {
    clock.now = parseIso('2026-12-03T10:00:00+08:00');
    await call('event.dispatch', { id: 'acc', to: { kind: 'department', id: 'dept-rj' } }, DISPATCHER);
    await call('event.requestExtension', { id: 'acc', by: { value: 2, unit: 'workDays' }, reason: '需协调拆除' }, DEPT_RJ);
    const ext = await call<ResultOf<'desk.worklist'>>('desk.worklist', { kind: 'extensions' }, LEADER);
    expect(ext.items.map((i) => [i.event.id, i.reason])).toEqual([['acc', '需协调拆除']]);
    await call('event.approveExtension', { id: 'acc' }, LEADER);
    expect((await call<ResultOf<'desk.worklist'>>('desk.worklist', { kind: 'extensions' }, LEADER)).items).toEqual([]);

    await call('event.return', { id: 'acc', reason: '不属于本部门职责' }, DEPT_RJ);
    const returned = await call<ResultOf<'desk.worklist'>>('desk.worklist', { kind: 'returned' }, DISPATCHER);
    expect(returned.items.map((i) => [i.event.id, i.reason])).toEqual([['acc', '不属于本部门职责']]);

    await call('event.suspend', { id: 'acc', reason: '待汛期结束' }, DISPATCHER);
    clock.now += 3 * HOUR + 5 * MINUTE;
    const suspended = await call<ResultOf<'desk.worklist'>>('desk.worklist', { kind: 'suspended' }, DISPATCHER);
    expect(suspended.items.map((i) => [i.event.id, i.minutes, i.reason])).toEqual([['acc', 185, '待汛期结束']]);
    expect((await call<ResultOf<'desk.worklist'>>('desk.worklist', { kind: 'returned' }, DISPATCHER)).items).toEqual([]);
  });
});

describe('dispatch rules', () => {
  it('propose the lead and the cooperating departments, from a rule or the list of matters, and name the file\'s problems', async () => {
    const proposal = await call<ResultOf<'desk.dispatchProposal'>>('desk.dispatchProposal', { eventId: 'sup' }, DISPATCHER);
    expect(proposal).toMatchObject({ to: { kind: 'department', id: 'dept-rj' }, cooperating: ['dept-zf'], auto: false, rule: { id: 'sanitation' } });
    const rules = await call<ResultOf<'desk.rules'>>('desk.rules', {}, DISPATCHER);
    expect(rules.rules.map((r) => r.id)).toEqual(['outage', 'outage-b', 'sanitation']);
    expect(rules.errors.join()).toContain('第4条规则无效');
  });

  it('dispatch by themselves once, queued for the county, with the rule named in the history', async () => {
    const outage = countyEvent({ id: 'outage-1', category: '0505', title: '停电', at: clock.now });
    const other = countyEvent({ id: 'outage-b', category: '0505', grid: GRID_B, at: clock.now });
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(outage, 1), eventItem(other, 1)]));
    // The link's batch push is what the service reacts to; without a link, a command's push does.
    await call('event.comment', { id: 'outage-1', note: '已联系' }, DISPATCHER);
    await until(() => replica.getEvent('outage-1')?.status === 'dispatched');
    const event = replica.getEvent('outage-1') as GridEvent;
    expect(event.assignee).toEqual({ kind: 'department', id: 'dept-gd', cooperating: [] });
    const steps = event.history.slice(-2);
    expect(steps.map((h) => [h.action, h.note, h.actor])).toEqual([
      ['event.accept', '按派遣规则“停电报修直派供电所”自动派遣', 'system:dispatch-rules'],
      ['event.dispatch', '派遣至供电所：按派遣规则“停电报修直派供电所”自动派遣', 'system:dispatch-rules'],
    ]);
    // In the other village the narrower rule (not auto) wins: left to the dispatcher.
    expect(replica.getEvent('outage-b')?.status).toBe('reported');

    // Returned: not dispatched again by the rule.
    await call('event.return', { id: 'outage-1', reason: '线路属县供电公司' }, DEPT_GD);
    await call('event.comment', { id: 'outage-1', note: '再看' }, DISPATCHER);
    await new Promise((r) => setTimeout(r, 30));
    expect(replica.getEvent('outage-1')?.status).toBe('accepted');
    expect(replica.pendingCommands('outage-1').filter((c) => c.name === 'event.dispatch')).toHaveLength(1);
  });
});
