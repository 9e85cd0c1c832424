// The register of emergency teams and resources, kept by the town (issue 13: "no register
// of teams and materials"): entries added, changed, retired and put back by the
// dispatcher and the admin (core/api/access.ts RESOURCE_EDIT_METHODS). The register is the
// town's own data in the replica file, not the county's: nothing goes through the outbox,
// so it works the same with the county link down. Each change is written with its audit
// entry in one transaction; the search around an incident sees it at once.
import type { Grid } from '../../../core/model';
import { resourceFromDraft, RESOURCE_KIND_LABELS, type Resource } from '../../../core/emergency/resources';
import { toIso } from '../../../core/time/shanghai';
import { ApiFailure } from '../service';
import type { FieldHandlers, FieldOptions } from './handlers';
import type { FieldStore } from './store';

/** A register holds a town's teams, stores, shelters and vehicles: a few hundred at most. */
export const MAX_RESOURCES = 2000;

/** The id of a new entry: its kind and a number not yet taken. */
export function newResourceId(kind: Resource['kind'], taken: ReadonlySet<string>): string {
  for (let i = taken.size + 1; ; i++) {
    const id = `${kind}-${String(i).padStart(3, '0')}`;
    if (!taken.has(id)) return id;
  }
}

export function resourceHandlers(
  o: FieldOptions,
  store: FieldStore,
  grids: () => Grid[],
  invalidate: () => void,
): Pick<FieldHandlers, 'emergency.resources.save' | 'emergency.resources.retire'> {
  const changed = (): void => {
    invalidate();
    o.changed?.({ kind: 'resources' });
  };
  return {
    'emergency.resources.save': ({ resource: draft }, caller) => {
      const all = store.resources();
      const existing = draft.id === undefined ? null : (all.find((r) => r.id === draft.id) ?? null);
      if (existing === null && all.length >= MAX_RESOURCES) throw new ApiFailure('invalid', `登记的应急队伍和物资已达上限(${MAX_RESOURCES} 条),请先停用或合并旧条目`);
      const id = draft.id ?? newResourceId(draft.kind, new Set(all.map((r) => r.id)));
      const checked = resourceFromDraft(draft, { grids: grids(), existing, id, at: toIso(o.clock()) });
      if (!checked.ok) throw new ApiFailure('invalid', `保存失败,未做任何修改。${checked.errors.join(';')}`);
      const r = checked.resource;
      store.putResource(r, () => o.audit(caller, 'emergency.resources.save', r.id, `${existing ? '修改' : '新增'}${RESOURCE_KIND_LABELS[r.kind]}「${r.name}」(网格 ${r.grid})`, true));
      changed();
      return r;
    },
    'emergency.resources.retire': ({ id, retired }, caller) => {
      const existing = store.resource(id);
      if (existing === null) throw new ApiFailure('not-found', `登记簿中没有编号为 ${id.slice(0, 64)} 的应急队伍或物资`);
      const at = toIso(o.clock());
      const next: Resource = { ...existing, retiredAt: retired ? (existing.retiredAt ?? at) : null, updatedAt: at };
      store.putResource(next, () => o.audit(caller, 'emergency.resources.retire', id, `${retired ? '停用' : '恢复启用'}${RESOURCE_KIND_LABELS[existing.kind]}「${existing.name}」`, true));
      changed();
      return next;
    },
  };
}
