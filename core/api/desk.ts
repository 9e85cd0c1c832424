// The command desk's methods (issue 13, first half): supervision (督办) with its levels,
// deadlines and 督办单, the work lists beside the queue, and the dispatch rules. Shapes
// only; the rules are core/desk/, the store and handlers electron/service/desk/.
import * as z from 'zod';
import { ALL_ACTOR_ROLES, type ActorRole } from '../model';
import { DispatchRuleSchema } from '../desk/rules';
import { SUPERVISION_LEVELS } from '../desk/supervision';
import { WORK_LISTS } from '../desk/worklists';
import { GridEventSchema, HistoryEntrySchema, IsoTimeSchema } from './schemas';

const id = z.string().min(1).max(128);

/** As contract.ts's defineMethod (not imported: the contract imports this file). */
function defineMethod<const K extends 'query' | 'command', A extends z.ZodType, R extends z.ZodType>(spec: { kind: K; args: A; result: R; summary: string }) {
  return spec;
}

export const SupervisionLevelSchema = z.enum(SUPERVISION_LEVELS);
export const SupervisionStateSchema = z.enum(['open', 'answered', 'overdue']);

export const SupervisionSchema = z.object({
  id: z.number().int().positive(),
  number: z.string(),
  eventId: z.string(),
  level: SupervisionLevelSchema,
  deadline: IsoTimeSchema,
  requirement: z.string(),
  by: z.object({ id: z.string(), name: z.string(), role: z.enum(ALL_ACTOR_ROLES as [ActorRole, ...ActorRole[]]) }),
  at: IsoTimeSchema,
  commandN: z.number().int().nonnegative(),
});

export const SupervisionItemSchema = z.object({
  supervision: SupervisionSchema,
  state: SupervisionStateSchema,
  /** The supervised case as the caller may see it (null: not in the replica). */
  event: GridEventSchema.nullable(),
  /** The first feedback or close after the supervision. */
  answeredAt: IsoTimeSchema.nullable(),
  /** The case's history since the supervision: the supervised unit's progress. */
  followUp: z.array(HistoryEntrySchema),
});

export const WorkListItemSchema = z.object({
  event: GridEventSchema,
  since: IsoTimeSchema.nullable(),
  minutes: z.number().int().nonnegative().nullable(),
  due: z.object({ clock: z.enum(['accept', 'finish', 'verify']), at: IsoTimeSchema }).nullable(),
  reason: z.string().nullable(),
});

const TargetSchema = z.object({ kind: z.enum(['department', 'person']), id: z.string() });

export const DispatchProposalSchema = z.object({
  to: TargetSchema.nullable(),
  cooperating: z.array(z.string()),
  auto: z.boolean(),
  rule: z.object({ id: z.string(), name: z.string() }).nullable(),
  basis: z.string(),
});

export const DeskFileSchema = z.object({
  filename: z.string(),
  mime: z.string(),
  /** The file's bytes, base64. */
  base64: z.string(),
});

export const DESK_METHODS = {
  'desk.supervisions': defineMethod({
    kind: 'query',
    args: z.strictObject({
      state: SupervisionStateSchema.optional(),
      eventId: id.optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }),
    result: z.array(SupervisionItemSchema),
    summary: '督办 list: each supervision (level, deadline, 督办单 number) with its case, state (督办中/已办复/已超期) and the case\'s history since; newest first. A department sees those of its own cases.',
  }),
  'desk.supervise': defineMethod({
    kind: 'command',
    args: z.strictObject({
      eventId: id,
      level: SupervisionLevelSchema,
      /** 办理时限; absent: the level's default in working days (core/desk/supervision.ts). */
      deadline: IsoTimeSchema.optional(),
      requirement: z.string().trim().min(1, '请填写督办要求').max(1000, '督办要求不能超过1000个字'),
    }),
    result: z.object({ supervision: SupervisionSchema, commandId: z.string(), event: GridEventSchema }),
    summary: 'Supervises a case: event.supervise queued for the county (its note names level, number and deadline) and, in the same transaction, the town\'s 督办 record with its 督办单 number.',
  }),
  'desk.supervisionDocument': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: z.number().int().positive(), format: z.enum(['docx', 'pdf']) }),
    result: DeskFileSchema,
    summary: 'The 督办单 of a supervision as Word or PDF (the shared official-document layout), with the case\'s progress since; personal data masked as for an export.',
  }),
  'desk.worklist': defineMethod({
    kind: 'query',
    args: z.strictObject({ kind: z.enum(WORK_LISTS), limit: z.number().int().min(1).max(500).default(200) }),
    result: z.object({ items: z.array(WorkListItemSchema), total: z.number().int().nonnegative(), at: IsoTimeSchema }),
    summary: 'A work list: 挂账缓办 (with how long), 延期待审批, 退回待重派, or due within the next working day (working time).',
  }),
  'desk.dispatchProposal': defineMethod({
    kind: 'query',
    args: z.strictObject({ eventId: id }),
    result: DispatchProposalSchema.nullable(),
    summary: 'Whom the dispatch rules (config/dispatch-rules.json) or the list of matters propose for an event: lead, cooperating departments, the rule and whether it dispatches by itself.',
  }),
  'desk.rules': defineMethod({
    kind: 'query',
    args: z.strictObject({}),
    result: z.object({ rules: z.array(DispatchRuleSchema), errors: z.array(z.string()), source: z.string().nullable() }),
    summary: 'The dispatch rules in force, and the problems of the settings file and of rules the town does not know.',
  }),
} as const;

/** Methods of the desk a role without the whole desk may not call (core/api/access.ts). */
export const DESK_QUERY_NAMES = ['desk.supervisions', 'desk.supervisionDocument', 'desk.worklist', 'desk.dispatchProposal', 'desk.rules'] as const;
