// The registers end to end in the service: the county simulator seeds the synthetic
// register, the replica receives it over county-link-v1, the API answers it masked by
// role, a viewer gets nothing, a visit goes through the outbox to the county once and
// shows as coverage, and a reveal is recorded in the audit trail with its reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../core/api/channels';
import type { MethodName } from '../../../core/api/contract';
import { idNumberProblem } from '../../../core/registers/id-number';
import { startCountySimulator, type CountySimulator } from '../../../county/simulator/index';
import { openDataService, type DataService } from '../data-service';
import { visitCounts } from './queries';

const SEED = 20241112;
const BASE = Date.parse('2026-12-02T10:00:00+08:00');
const TOKEN = 'county-test-token';
const clock = (): number => BASE;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let dir: string;
let sim: CountySimulator;
let data: DataService;

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dispatcher: Caller = { role: 'dispatcher', user: { id: 'u-d', name: '调度员甲' } };
const leader: Caller = { role: 'leader', user: { id: 'u-l', name: '领导甲' } };
const viewer: Caller = { role: 'viewer' };
const secretary: Caller = { role: 'secretary', user: { id: 'u-s', name: '秘书甲' } };

async function call<T = unknown>(method: MethodName, args: unknown, caller: Caller): Promise<T> {
  const r = await data.service.handle(method, args, caller);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-reg-'));
  sim = await startCountySimulator({ port: 0, seed: SEED, dbFile: join(dir, 'county.sqlite'), token: TOKEN, activity: false, clock, registers: true, scale: { towns: 1, gridsPerTown: 8 } });
  data = await openDataService({
    db: join(dir, 'replica.sqlite'),
    county: sim.url,
    countyToken: TOKEN,
    town: sim.towns[0]!,
    clock,
    logger: quiet,
    link: { backoffMinMs: 20, backoffMaxMs: 300, mutateTimeoutMs: 5_000, transports: ['websocket'] },
  });
  expect(await data.initialSync(30_000)).toBe(true);
}, 60_000);

afterAll(async () => {
  await data?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Search = { persons: { id: string; name: string; idNumber: string; phone: string; address: string; tags?: string[] }[]; houses: { id: string; address: string; grid: string }[] };

describe('registers over the county link', () => {
  it('replicates the synthetic register and answers it masked, tags only to the roles that need them', async () => {
    const db = data.replica.store().db;
    const persons = (db.prepare('SELECT COUNT(*) AS c FROM reg_persons').get() as { c: number }).c;
    const houses = (db.prepare('SELECT COUNT(*) AS c FROM reg_houses').get() as { c: number }).c;
    expect(houses).toBeGreaterThan(1000);
    expect(persons).toBeGreaterThan(houses);
    const raw = db.prepare('SELECT id_number FROM reg_persons LIMIT 50').all() as { id_number: string }[];
    for (const r of raw) expect(idNumberProblem(r.id_number)).toBeNull();

    const found = await call<Search>('registers.search', { text: '测试', limit: 5 }, dispatcher);
    expect(found.persons).toHaveLength(5);
    for (const p of found.persons) {
      expect(p.idNumber).toMatch(/^990624\*{8}[\dX]{4}$/);
      if (p.phone !== '') expect(p.phone).toMatch(/^199\*{4}\d{4}$/);
      expect(p.address).toContain('*');
      expect(p.tags).toBeDefined();
    }
    const bySecretary = await call<Search>('registers.search', { text: '测试', limit: 5 }, secretary);
    for (const p of bySecretary.persons) expect(p.tags).toBeUndefined();
    const refused = await data.service.handle('registers.search', { tag: 'hardship' }, secretary);
    expect(refused.ok).toBe(false);
  });

  it('never gives a viewer a register field', async () => {
    for (const [method, args] of [
      ['registers.search', { text: '测试' }],
      ['registers.grid', { grid: '430624103001001' }],
      ['registers.layers', {}],
      ['registers.visitsDue', {}],
      ['registers.coverage', {}],
    ] as const) {
      const r = await data.service.handle(method, args, viewer);
      expect(r.ok, method).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('forbidden');
    }
  });

  it("gives a department operator who lives at its own events' addresses, not the town's registers", async () => {
    const department: Caller = { role: 'department', user: { id: 'u-dept', name: '部门经办人' }, departmentId: 'dept-rj' };
    for (const [method, args] of [
      ['registers.search', { text: '测试' }],
      ['registers.grid', { grid: '430624103001001' }],
      ['registers.person', { id: 'x' }],
      ['registers.layers', {}],
      ['registers.visitsDue', {}],
    ] as const) {
      const r = await data.service.handle(method, args, department);
      expect(r.ok, method).toBe(false);
      if (!r.ok) expect(r.error.code, method).toBe('forbidden');
    }
    // An event that is not its department's: not found, as for any event outside its scope.
    // A new report, assigned to nobody yet: not the department's.
    const other = sim.createEvent(sim.towns[0]!);
    await until(() => data.replica.getEvent(other) !== null, 'the new report reaches the replica');
    const r = await data.service.handle('registers.atAddress', { eventId: other }, department);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('not-found');
    // The dispatcher reads the same address.
    expect((await data.service.handle('registers.atAddress', { eventId: other }, dispatcher)).ok).toBe(true);
  });

  it('records a visit through the outbox: the county applies it once, coverage and the assessment read it', async () => {
    const due = await call<{ households: { house: { id: string; grid: string } }[] }>('registers.visitsDue', {}, dispatcher);
    expect(due.households.length).toBeGreaterThan(0);
    const target = due.households[0]!.house;
    const worker = data.replica.workers({ grid: target.grid })[0]!;
    const before = await call<{ byWorker: { worker: string; households: number }[] }>('registers.coverage', {}, leader);
    const had = before.byWorker.find((w) => w.worker === worker.id)?.households ?? 0;
    const receipt = await call<{ id: string; n: number }>('registers.visit.record', { house: target.id, worker: worker.id, note: '登门走访,身体良好' }, dispatcher);
    const after = await call<{ byWorker: { worker: string; households: number }[] }>('registers.coverage', {}, leader);
    expect(after.byWorker.find((w) => w.worker === worker.id)?.households).toBe(had + 1);
    // The county settles it: the county's version replaces the town's own row.
    const db = data.replica.store().db;
    await until(() => (db.prepare('SELECT pending_n FROM reg_visits WHERE id = ?').get(receipt.id) as { pending_n: number | null } | undefined)?.pending_n === null, 'the county settles the visit');
    expect(db.prepare('SELECT rev FROM reg_visits WHERE id = ?').get(receipt.id)).toEqual({ rev: 1 });
    expect(db.prepare('SELECT state FROM outbox WHERE n = ?').get(receipt.n)).toEqual({ state: 'applied' });
    const week = visitCounts(db, BASE - 7 * 86_400_000, BASE + 86_400_000);
    expect(week.find((r) => r.worker === worker.id && r.grid === target.grid)?.households).toBeGreaterThan(0);
    const stillDue = await call<{ households: { house: { id: string } }[] }>('registers.visitsDue', {}, dispatcher);
    expect(stillDue.households.some((h) => h.house.id === target.id)).toBe(false);
  });

  it('reveals a phone to a leader with a reason, recorded in the audit trail; refuses a viewer', async () => {
    const found = await call<Search>('registers.search', { text: '测试', limit: 20 }, leader);
    const person = found.persons.find((p) => p.phone !== '')!;
    const r = await call<{ value: string }>('registers.reveal', { type: 'person', id: person.id, field: 'phone', reason: '核实走访情况' }, leader);
    expect(r.value).toMatch(/^199\d{8}$/);
    const audit = data.people.db.prepare("SELECT action, target, detail FROM audit_log WHERE kind = 'reveal' ORDER BY seq DESC LIMIT 1").get() as { action: string; target: string; detail: string };
    expect(audit).toMatchObject({ action: 'registers.reveal:phone', target: `person:${person.id}` });
    expect(audit.detail).toContain('核实走访情况');
    const noReason = await data.service.handle('registers.reveal', { type: 'person', id: person.id, field: 'phone', reason: '' }, leader);
    expect(noReason.ok).toBe(false);
    const byViewer = await data.service.handle('registers.reveal', { type: 'person', id: person.id, field: 'phone', reason: '看看' }, viewer);
    expect(byViewer.ok).toBe(false);
  });

  it('edits a person with the county not answering: kept locally, masked values kept, then applied by the county once; scope and roles enforced', async () => {
    const db = data.replica.store().db;
    const raw = (id: string) => db.prepare('SELECT id_number, pending_n, rev, data FROM reg_persons WHERE id = ?').get(id) as { id_number: string; pending_n: number | null; rev: number; data: string };
    const found = await call<Search>('registers.search', { text: '测试', limit: 20 }, dispatcher);
    const p = found.persons.find((x) => x.phone !== '')! as Search['persons'][number] & { house: string; residence: string; pools: string[]; grid: string };
    const other = found.persons.find((x) => x.id !== p.id)!;
    const stored = raw(p.id);
    const form = { id: p.id, name: p.name, idNumber: p.idNumber, phone: p.phone, residence: p.residence, house: p.house, tags: ['keyPerson'], pools: p.pools };
    sim.chaos.pause();
    try {
      // A masked ID number or phone that is not the stored one's masked form, another person's ID number: refused, nothing written.
      expect((await data.service.handle('registers.person.save', { ...form, phone: '199****0000' }, dispatcher)).ok).toBe(false);
      const dup = await data.service.handle('registers.person.save', { ...form, idNumber: raw(other.id).id_number }, dispatcher);
      expect(!dup.ok && dup.error.message).toContain('已有此身份证号');
      const bad = await data.service.handle('registers.person.save', { ...form, idNumber: `${stored.id_number.slice(0, 17)}${stored.id_number.endsWith('0') ? '1' : '0'}` }, dispatcher);
      expect(!bad.ok && bad.error.message).toContain('GB 11643');
      expect(raw(p.id).pending_n).toBeNull();
      // The viewer never; a village outside its grids neither.
      expect((await data.service.handle('registers.person.save', form, viewer)).ok).toBe(false);
      const elsewhere = data.replica.grids(3).find((g) => g.code !== p.grid)!;
      const village: Caller = { role: 'village', user: { id: 'u-v', name: '村工作站乙' }, grids: [elsewhere.code] };
      const outside = await data.service.handle('registers.person.save', form, village);
      expect(!outside.ok && outside.error.code).toBe('not-found');
      const house = await data.service.handle('registers.house.save', { address: '测试路999号', grid: p.grid }, village);
      expect(!house.ok && house.error.message).toContain('不在本账号管辖的网格内');

      const receipt = await call<{ id: string; n: number }>('registers.person.save', form, dispatcher);
      expect(receipt.id).toBe(p.id);
      const local = raw(p.id);
      expect(local.id_number).toBe(stored.id_number);
      expect(JSON.parse(local.data)).toMatchObject({ phone: JSON.parse(stored.data).phone, tags: ['keyPerson'] });
      expect(local.pending_n).toBe(receipt.n);
      const card = await call<{ person: { tags: string[]; pending?: boolean; phone: string } }>('registers.person', { id: p.id }, dispatcher);
      expect(card.person).toMatchObject({ tags: ['keyPerson'], pending: true, phone: p.phone });
      expect(db.prepare('SELECT state FROM outbox WHERE n = ?').get(receipt.n)).not.toEqual({ state: 'applied' });
      const audit = data.people.db.prepare("SELECT target, detail FROM audit_log WHERE action = 'registers.person.save' ORDER BY seq DESC LIMIT 1").get() as { target: string; detail: string };
      expect(audit.target).toBe(`person:${p.id}`);
      sim.chaos.resume();
      await until(() => raw(p.id).pending_n === null, 'the county settles the edit');
      expect(raw(p.id).rev).toBeGreaterThan(stored.rev);
      expect(JSON.parse(raw(p.id).data)).toMatchObject({ tags: ['keyPerson'] });
      expect(sim.applied(data.replica.replicaId).filter((c) => c.n === receipt.n)).toEqual([{ n: receipt.n, name: 'register.person.put', status: 'applied' }]);
    } finally {
      sim.chaos.resume();
    }
  });

  it('keeps a mediation file (矛盾纠纷调解档案): saved, listed with the parties masked for a role that may not read names', async () => {
    const grid = data.replica.grids(3)[0]!.code;
    const file = { grid, title: '邻里排水纠纷', parties: ['测试甲一', '测试乙二'], openedAt: '2026-12-01T09:00:00+08:00', status: 'open', summary: '' };
    const saved = await call<{ id: string; n: number }>('registers.mediation.save', file, dispatcher);
    const edited = await call<{ id: string; n: number }>('registers.mediation.save', { ...file, id: saved.id, status: 'resolved', summary: '双方达成协议' }, dispatcher);
    expect(edited.id).toBe(saved.id);
    const list = await call<{ id: string; status: string; parties: string[] }[]>('registers.mediations', { grid }, dispatcher);
    expect(list.find((m) => m.id === saved.id)).toMatchObject({ status: 'resolved', parties: ['测试甲一', '测试乙二'] });
    const bySecretary = await call<{ id: string; parties: string[] }[]>('registers.mediations', { grid }, secretary);
    expect(bySecretary.find((m) => m.id === saved.id)?.parties).toEqual(['测***', '测***']);
    expect((await data.service.handle('registers.mediation.save', file, leader)).ok).toBe(false);
    const db = data.replica.store().db;
    await until(() => (db.prepare('SELECT pending_n FROM reg_mediations WHERE id = ?').get(saved.id) as { pending_n: number | null }).pending_n === null, 'the county settles the file');
    expect(JSON.parse((db.prepare('SELECT data FROM reg_mediations WHERE id = ?').get(saved.id) as { data: string }).data)).toMatchObject({ status: 'resolved' });
  });
});

