// The service's features beyond the replica's own queries and the workflow: the command
// desk (issue 13), the assessment and its exports (issue 11), and the ones that follow.
// Each is built from the same context and hands back its handlers and how it closes, so
// that the service (replica-service.ts) stays one list and a new feature is one line here.
import type { Caller } from '../../core/api/channels';
import type { AuditInput } from './people/audit';
import type { People } from './people/people';
import { whoOf } from './people/people';
import type { ServiceReplica } from './replica-service';
import type { createScopes } from './scope';
import type { Handlers, PushHub, ServiceLog } from './service';
import { createDesk } from './desk';
import type { RunCommand } from './desk/handlers';
import { createAssessment, type AssessmentOptions } from './assessment/handlers';
import { createExports } from './exports/jobs';

export interface FeatureContext {
  replica: ServiceReplica;
  clock: () => number;
  scopes: ReturnType<typeof createScopes>;
  /** A workflow command signed by the caller, through the outbox (replica-service.ts createCommandRunner). */
  run: RunCommand;
  pushes: PushHub;
  people: People | null;
  log: ServiceLog;
  /** The options of the features, as the service was given them. */
  options: FeatureOptions;
}

export interface FeatureOptions {
  /** The dispatch rules' settings file (desk/rules-file.ts; default config/dispatch-rules.json or GRIDDECK_DISPATCH_RULES). */
  dispatchRules?: string;
  /** The replica's connection for the assessment's tables (Replica.store()) and the scheme's settings file (issue 11). */
  assessment?: Pick<AssessmentOptions, 'store' | 'schemeFile'>;
}

export interface Feature {
  handlers: Partial<Handlers>;
  close(): void;
}

/** An audit entry as the caller (person and seat); nothing without a people store (a test's fake replica). */
function auditAs(people: People | null) {
  return (entry: Omit<AuditInput, 'actorId' | 'actorName' | 'role' | 'seat'>, caller: Caller): void => void people?.audit({ ...whoOf(caller), ...entry });
}

function deskFeature(ctx: FeatureContext): Feature {
  const { people } = ctx;
  return createDesk({
    replica: ctx.replica,
    clock: ctx.clock,
    scopes: ctx.scopes,
    run: ctx.run,
    auditExport: (caller, target, detail) => auditAs(people)({ kind: 'export', action: 'desk.supervisionDocument', target, detail }, caller),
    subscribe: (listener) => ctx.pushes.subscribe(listener),
    log: ctx.log,
    ...(ctx.options.dispatchRules !== undefined ? { rules: ctx.options.dispatchRules } : {}),
  });
}

function assessmentFeatures(ctx: FeatureContext): Feature[] {
  const { replica, clock, scopes, log } = ctx;
  const audit = auditAs(ctx.people);
  const assessment = createAssessment({
    ...ctx.options.assessment,
    replica: { grids: () => replica.grids(), workers: () => replica.workers({}), departments: () => replica.departments(), categories: () => replica.categories() },
    clock,
    scopeOf: scopes.of,
    log,
    audit,
  });
  const exports = createExports({
    replica: { eventsAfter: (a, after, limit, n, level) => replica.eventsAfter(a, after, limit, n, level), grids: (l) => replica.grids(l), categories: () => replica.categories(), departments: () => replica.departments(), workers: () => replica.workers({}) },
    assessment,
    clock,
    townName: () => replica.grids(1)[0]?.name ?? replica.town,
    scopeOf: scopes.of,
    audit,
    log,
  });
  return [{ handlers: assessment.handlers, close: () => undefined }, { handlers: exports.handlers, close: () => exports.close() }];
}

/** Every feature, in the order their handlers are listed. */
export function createFeatures(ctx: FeatureContext): Feature[] {
  return [deskFeature(ctx), ...assessmentFeatures(ctx)];
}
