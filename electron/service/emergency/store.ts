// The field desk's own tables in the replica file (migration 0011): the plans library,
// the register of teams and resources, the emergencies and their messages. The town's
// data, not the county's: a reset of the replica keeps them. Writes go through the
// replica's one writer.
import { DEMO_PLANS, PlanSchema, type Plan } from '../../../core/emergency/plans';
import { demoResources, type Resource } from '../../../core/emergency/resources';
import type { Grid } from '../../../core/model';
import type { SqliteDatabase } from '../db/sqlite';

export interface FieldDb {
  db: SqliteDatabase;
  write<T>(fn: () => T): T;
}

export interface EmergencyRow {
  eventId: string;
  plan: Plan;
  status: 'active' | 'closed';
  openedAt: number;
  openedBy: string;
  closedAt: number | null;
  radiusM: number;
  /** stepId → when and by whom it was ticked. */
  checklist: Record<string, { at: number; by: string }>;
}

export interface NoticeRow {
  n: number;
  eventId: string | null;
  workers: { id: string; name: string }[];
  text: string;
  at: number;
}

interface RawEmergency {
  event_id: string;
  plan: string;
  status: 'active' | 'closed';
  opened_at: number;
  opened_by: string;
  closed_at: number | null;
  radius_m: number;
  checklist: string;
}

const fromRaw = (r: RawEmergency): EmergencyRow => ({
  eventId: r.event_id,
  plan: JSON.parse(r.plan) as Plan,
  status: r.status,
  openedAt: r.opened_at,
  openedBy: r.opened_by,
  closedAt: r.closed_at,
  radiusM: r.radius_m,
  checklist: JSON.parse(r.checklist) as EmergencyRow['checklist'],
});

export class FieldStore {
  private readonly s;

  constructor(private readonly f: FieldDb) {
    const db = f.db;
    this.s = {
      meta: db.prepare<{ value: string }>('SELECT value FROM field_meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO field_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delMeta: db.prepare('DELETE FROM field_meta WHERE key = ?'),
      delSeededPlan: db.prepare('DELETE FROM emergency_plans WHERE id = ? AND updated_at = 0'),
      // The seed's entries only: an entry the town saved has its updatedAt.
      clearResources: db.prepare("DELETE FROM emergency_resources WHERE json_extract(data, '$.updatedAt') IS NULL"),
      plans: db.prepare<{ data: string }>('SELECT data FROM emergency_plans ORDER BY id'),
      putPlan: db.prepare('INSERT INTO emergency_plans (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at'),
      delPlan: db.prepare('DELETE FROM emergency_plans WHERE id = ?'),
      clearPlans: db.prepare('DELETE FROM emergency_plans'),
      resources: db.prepare<{ data: string }>('SELECT data FROM emergency_resources ORDER BY id'),
      putResource: db.prepare('INSERT OR REPLACE INTO emergency_resources (id, data) VALUES (?, ?)'),
      emergency: db.prepare<RawEmergency>('SELECT * FROM emergencies WHERE event_id = ?'),
      active: db.prepare<RawEmergency>("SELECT * FROM emergencies WHERE status = 'active' ORDER BY opened_at DESC LIMIT 50"),
      putEmergency: db.prepare(
        `INSERT INTO emergencies (event_id, plan, status, opened_at, opened_by, closed_at, radius_m, checklist)
         VALUES (@eventId, @plan, @status, @openedAt, @openedBy, @closedAt, @radiusM, @checklist)
         ON CONFLICT (event_id) DO UPDATE SET plan = excluded.plan, status = excluded.status, opened_at = excluded.opened_at,
           opened_by = excluded.opened_by, closed_at = excluded.closed_at, radius_m = excluded.radius_m, checklist = excluded.checklist`,
      ),
      notices: db.prepare<{ n: number; event_id: string | null; workers: string; text: string; at: number }>('SELECT * FROM field_notices WHERE event_id = ? ORDER BY n'),
      putNotice: db.prepare('INSERT INTO field_notices (n, event_id, workers, text, at) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /**
   * The demo's replica (the embedded county) starts with the demo's plans, and with the
   * demo's register of teams and resources once the town's grids are known: made-up
   * contacts and places, never seeded into a real town's replica (removeDemoSeed). Called
   * when the service starts and from its patrol timer, never from a query (a read changes
   * nothing).
   */
  seed(grids: readonly Grid[]): void {
    if (this.s.meta.get('plans.seeded') === undefined) {
      this.f.write(() => {
        if (this.s.meta.get('plans.seeded') !== undefined) return;
        for (const p of DEMO_PLANS) this.s.putPlan.run(p.id, JSON.stringify(p), 0);
        this.s.setMeta.run('plans.seeded', '1');
      });
    }
    if (this.s.meta.get('resources.seeded') === undefined && grids.some((g) => g.level === 3)) {
      this.f.write(() => {
        if (this.s.meta.get('resources.seeded') !== undefined) return;
        for (const r of demoResources([...grids])) this.s.putResource.run(r.id, JSON.stringify(r));
        this.s.setMeta.run('resources.seeded', '1');
      });
    }
  }

  /**
   * A real town's replica starts with an empty library and register. One that an earlier
   * release seeded with the demo's made-up plans and register loses them, once: the demo
   * plans nobody saved since (updated_at 0: a plan saved or imported has its time) and the
   * register's seeded entries nobody saved since (no updatedAt). The town's own stay.
   */
  removeDemoSeed(): void {
    const plans = this.s.meta.get('plans.seeded') !== undefined;
    const resources = this.s.meta.get('resources.seeded') !== undefined;
    if (!plans && !resources) return;
    this.f.write(() => {
      if (plans) for (const p of DEMO_PLANS) this.s.delSeededPlan.run(p.id);
      if (resources) this.s.clearResources.run();
      this.s.delMeta.run('plans.seeded');
      this.s.delMeta.run('resources.seeded');
    });
  }

  /** The library of plans. */
  plans(): Plan[] {
    return this.s.plans.all().flatMap((r) => {
      const p = PlanSchema.safeParse(JSON.parse(r.data));
      return p.success ? [p.data] : [];
    });
  }

  savePlans(plans: readonly Plan[], at: number, replace = false): void {
    this.f.write(() => {
      if (replace) this.s.clearPlans.run();
      for (const p of plans) this.s.putPlan.run(p.id, JSON.stringify(p), at);
    });
  }

  deletePlan(id: string): boolean {
    return this.f.write(() => this.s.delPlan.run(id).changes > 0);
  }

  /** The register of teams and resources (seed()). */
  resources(): Resource[] {
    return this.s.resources.all().map((r) => JSON.parse(r.data) as Resource);
  }

  resource(id: string): Resource | null {
    return this.resources().find((r) => r.id === id) ?? null;
  }

  /** Writes an entry; `alongside` runs in the same transaction (the audit entry: both or neither). */
  putResource(r: Resource, alongside?: () => void): void {
    this.f.write(() => {
      this.s.putResource.run(r.id, JSON.stringify(r));
      alongside?.();
    });
  }

  emergency(eventId: string): EmergencyRow | null {
    const r = this.s.emergency.get(eventId);
    return r === undefined ? null : fromRaw(r);
  }

  active(): EmergencyRow[] {
    return this.s.active.all().map(fromRaw);
  }

  putEmergency(e: EmergencyRow): void {
    this.f.write(() => this.s.putEmergency.run({ ...e, plan: JSON.stringify(e.plan), checklist: JSON.stringify(e.checklist) }));
  }

  /** Inside the writer's transaction (the outbox's enqueue runs it alongside the command). */
  addNoticeIn(n: NoticeRow): void {
    this.s.putNotice.run(n.n, n.eventId, JSON.stringify(n.workers), n.text, n.at);
  }

  notices(eventId: string): NoticeRow[] {
    return this.s.notices.all(eventId).map((r) => ({ n: r.n, eventId: r.event_id, workers: JSON.parse(r.workers) as NoticeRow['workers'], text: r.text, at: r.at }));
  }
}
