// The town's edits of one register entry (registers.person/house/organisation/
// mediation.save, core/api/registers.ts): the form's draft checked by core (core/registers/
// edit.ts: GB 11643, duplicates, masked values kept, the caller's grids), then queued as
// the matching register.*.put through the outbox with the town's own row written beside
// it (pending until the county's version arrives: the edit works with the link down and
// reaches the county once) and its audit entry, in one transaction. The dispatcher edits
// the whole town; a village only entries of its own grids (an entry elsewhere is not
// found, a grid elsewhere refused), as its import does. The viewer never gets here.
import { randomUUID } from 'node:crypto';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Caller } from '../../../core/api/channels';
import { GRID_OUT_OF_SCOPE, GRID_UNKNOWN, houseFromDraft, mediationFromDraft, organisationFromDraft, personFromDraft, type EditContext, type EditResult } from '../../../core/registers/edit';
import { maySeeNames } from '../../../core/registers/mask';
import type { Mediation, RegisterEntities, RegisterEntity, RegisterType } from '../../../core/registers/types';
import { maskName, maskText } from '../../../core/privacy/mask';
import { parseIso, toIso } from '../../../core/time/shanghai';
import { ApiFailure } from '../service';
import type { RegisterDeps, RegisterHandlers } from './handlers';
import type { Pending, RegisterQueries, Scope } from './queries';
import { LIVE, type RegisterTables } from './tables';

type EditMethod = 'registers.person.save' | 'registers.house.save' | 'registers.organisation.save' | 'registers.mediation.save' | 'registers.mediations';

const TYPE_LABEL: Readonly<Record<RegisterType, string>> = { person: '人员', house: '房屋', organisation: '单位', visit: '走访', mediation: '调解档案' };

const inScope = (grid: string, scope: Scope): boolean => scope === null || scope.includes(grid);

export function editHandlers(deps: RegisterDeps, q: RegisterQueries, tables: RegisterTables): Pick<RegisterHandlers, EditMethod> {
  const db = deps.db;
  const idTaken = db.prepare<{ c: number }>(`SELECT COUNT(*) AS c FROM reg_persons p WHERE id_number = ? AND id <> ? AND ${LIVE('p')}`);
  const addressTaken = db.prepare<{ c: number }>(`SELECT COUNT(*) AS c FROM reg_houses h WHERE address = ? AND id <> ? AND ${LIVE('h')}`);
  const mediationRow = db.prepare<{ id: string; data: string; pending_n: number | null }>(`SELECT id, data, pending_n FROM reg_mediations m WHERE id = ? AND ${LIVE('m')}`);
  const basic = () => deps.grids().filter((g) => g.level === 3);
  const context = (caller: Caller): EditContext & { gridOfPoint: (lon: number, lat: number) => string | null } => {
    const grids = basic();
    const codes = new Set(grids.map((g) => g.code));
    const scope = deps.gridsOf(caller);
    return {
      gridProblem: (grid) => (!codes.has(grid) ? GRID_UNKNOWN : inScope(grid, scope) ? null : GRID_OUT_OF_SCOPE),
      gridOfPoint: (lon, lat) => grids.find((g) => booleanPointInPolygon([lon, lat], g.geometry))?.code ?? null,
    };
  };
  /** The stored entry an edit names, in the caller's grids (else not found); null for a new one. */
  const existing = <T extends { grid: string }>(id: string | undefined, read: (id: string) => T | null, type: RegisterType, caller: Caller): T | null => {
    if (id === undefined) return null;
    const row = read(id);
    if (!row || !inScope(row.grid, deps.gridsOf(caller))) throw new ApiFailure('not-found', `登记中没有此${TYPE_LABEL[type]} ${id.slice(0, 64)}`);
    return row;
  };
  const mediation = (id: string): (Mediation & Pending) | null => {
    const r = mediationRow.get(id);
    return r ? { ...(JSON.parse(r.data) as Mediation), id: r.id, ...(r.pending_n !== null ? { pending: true } : {}) } : null;
  };

  /** Queues register.<type>.put with the town's row and the audit entry beside it. */
  function put<T extends RegisterType>(type: T, method: EditMethod, id: string | undefined, checked: EditResult<Omit<RegisterEntities[T], 'id'>>, caller: Caller, what: string) {
    if (!checked.ok) throw new ApiFailure('invalid', `保存失败,未做任何修改。${checked.errors.join(';')}`);
    const key = id ?? randomUUID();
    const data = checked.value;
    const entity = { type, id: key, value: { ...data, id: key } } as unknown as RegisterEntity;
    const rev = tables.revOf(type, key);
    const now = deps.clock();
    const n = deps.queueCommand(`register.${type}.put`, { id: key, data }, deps.actorOf(caller), now, `register:${key}`, (n) => {
      tables.write(entity, rev, n);
      const detail = `${id === undefined ? '新增' : '修改'}登记${TYPE_LABEL[type]} ${what}(网格 ${(data as { grid: string }).grid});指令 ${n}`;
      deps.auditIn?.({ kind: 'command', action: method, target: `${type}:${key}`, detail }, caller);
    });
    deps.kick();
    return { id: key, n };
  }

  return {
    'registers.person.save': ({ id, ...d }, caller) => {
      const before = existing(id, (x) => q.person(x), 'person', caller);
      const house = q.house(d.house);
      if (!house || !inScope(house.grid, deps.gridsOf(caller))) throw new ApiFailure('invalid', `保存失败,未做任何修改。登记中没有房屋 ${d.house.slice(0, 64)}(或不在本账号管辖的网格内)`);
      const checked = personFromDraft(d, { ...context(caller), existing: before, house, idTaken: (x) => (idTaken.get(x, id ?? '')?.c ?? 0) > 0 });
      return put('person', 'registers.person.save', id, checked, caller, maskName(d.name));
    },
    'registers.house.save': ({ id, ...d }, caller) => {
      const before = existing(id, (x) => q.house(x), 'house', caller);
      const checked = houseFromDraft(d, { ...context(caller), existing: before, addressTaken: (x) => (addressTaken.get(x, id ?? '')?.c ?? 0) > 0 });
      return put('house', 'registers.house.save', id, checked, caller, id ?? '');
    },
    'registers.organisation.save': ({ id, ...d }, caller) => {
      const before = existing(id, (x) => q.organisation(x), 'organisation', caller);
      const checked = organisationFromDraft(d, { ...context(caller), existing: before });
      return put('organisation', 'registers.organisation.save', id, checked, caller, `「${d.name}」`);
    },
    'registers.mediation.save': ({ id, ...d }, caller) => {
      const before = existing(id, mediation, 'mediation', caller);
      const checked = mediationFromDraft({ ...d, openedAt: toIso(parseIso(d.openedAt)) }, { ...context(caller), existing: before });
      return put('mediation', 'registers.mediation.save', id, checked, caller, `「${d.title.slice(0, 40)}」`);
    },
    'registers.mediations': (args, caller) => mediationsOf(deps, args, caller),
  };
}

/** 矛盾纠纷调解档案: the files of the caller's grids, newest first; parties' names as the role may read them. */
function mediationsOf(deps: RegisterDeps, { grid, status, limit }: { grid?: string | undefined; status?: 'open' | 'resolved' | undefined; limit: number }, caller: Caller) {
  const scope = deps.gridsOf(caller);
  const rows = deps.db
    .prepare<{ id: string; data: string; pending_n: number | null }>(
      `SELECT id, data, pending_n FROM reg_mediations m WHERE ${LIVE('m')}
       ${grid !== undefined ? 'AND m.grid >= ? AND m.grid < ?' : ''} ${status !== undefined ? 'AND m.status = ?' : ''}
       ${scope !== null ? 'AND m.grid IN (SELECT value FROM json_each(?))' : ''} ORDER BY opened_ms DESC, id LIMIT ?`,
    )
    .all(...(grid !== undefined ? [grid, `${grid}~`] : []), ...(status !== undefined ? [status] : []), ...(scope !== null ? [JSON.stringify(scope)] : []), limit);
  const names = maySeeNames(caller.role);
  return rows.map((r) => {
    const m = JSON.parse(r.data) as Mediation;
    return {
      id: r.id,
      grid: m.grid,
      title: maskText(m.title),
      parties: names ? m.parties : m.parties.map(maskName),
      openedAt: m.openedAt,
      status: m.status,
      summary: maskText(m.summary),
      ...(r.pending_n !== null ? { pending: true } : {}),
    };
  });
}
