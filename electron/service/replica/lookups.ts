// The workflow's context read from the replica: categories, departments, workers and
// grids as core's transition asks for them. The maps are read once and dropped
// whenever a write touches their type (or rolls back), so a replay sees the
// replica's data.
import type { TransitionContext } from '../../../core/events/types';
import type { Actor, Category, Department, GridEvent, Worker } from '../../../core/model';
import type { WorkCalendar } from '../../../core/sla/calendar';
import type { EntityType } from '../../../core/sync/protocol';
import type { SqliteDatabase } from '../db/sqlite';

export class Lookups {
  private categories: Map<string, Category> | null = null;
  private departments: Map<string, Department> | null = null;
  private workers: Map<string, Worker> | null = null;
  private readonly s;

  constructor(
    db: SqliteDatabase,
    private readonly calendar: WorkCalendar,
  ) {
    this.s = {
      gridExists: db.prepare('SELECT 1 FROM grids WHERE code = ?'),
      categories: db.prepare<{ data: string }>('SELECT data FROM categories ORDER BY code'),
      departments: db.prepare<{ data: string }>('SELECT data FROM departments ORDER BY id'),
      workers: db.prepare<{ data: string }>('SELECT data FROM workers ORDER BY id'),
    };
  }

  context(actor: Actor, nowMs: number, target: GridEvent | undefined): TransitionContext {
    return {
      now: nowMs,
      actor,
      calendar: this.calendar,
      category: (code) => this.categoryMap().get(code),
      department: (id) => this.departmentMap().get(id),
      worker: (id) => this.workerMap().get(id),
      gridExists: (code) => this.s.gridExists.get(code) !== undefined,
      target,
    };
  }

  categoryMap(): Map<string, Category> {
    this.categories ??= new Map(this.s.categories.all().map((r) => JSON.parse(r.data) as Category).map((c) => [c.code, c]));
    return this.categories;
  }

  departmentMap(): Map<string, Department> {
    this.departments ??= new Map(this.s.departments.all().map((r) => JSON.parse(r.data) as Department).map((d) => [d.id, d]));
    return this.departments;
  }

  workerMap(): Map<string, Worker> {
    this.workers ??= new Map(this.s.workers.all().map((r) => JSON.parse(r.data) as Worker).map((w) => [w.id, w]));
    return this.workers;
  }

  /** A write changed entities of this type. */
  changed(type: EntityType): void {
    if (type === 'category') this.categories = null;
    else if (type === 'department') this.departments = null;
    else if (type === 'worker') this.workers = null;
  }

  drop(): void {
    this.categories = null;
    this.departments = null;
    this.workers = null;
  }
}
