// A decision of the meeting (meeting.decide): its action runs as the workflow command it
// implies, signed by the person deciding, through the service's one command path (the
// outbox: it holds with the county link down and goes out when the link returns), and
// only once the workflow accepted it is the decision recorded with the command's number.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../core/api/channels';
import type { ParsedArgsOf } from '../../../core/api/contract';
import type { CommandName } from '../../../core/events/commands';
import { DECISION_ACTION_LABELS, DECISION_COMMANDS, type Decision, type DecisionAction } from '../../../core/meeting/model';
import { pngSize } from '../../../core/documents/official';
import { ApiFailure } from '../service';
import type { MeetingContext } from './handlers';
import { nameOf } from './handlers';

type DecideArgs = ParsedArgsOf<'meeting.decide'>;

/** The workflow command's arguments for an action on an event. */
export function commandArgs(action: DecisionAction, eventId: string, args: Pick<DecideArgs, 'leadDepartment' | 'cooperating' | 'instruction'>): Record<string, unknown> {
  const note = `会商决定:${args.instruction}`.slice(0, 2000);
  switch (action) {
    case 'dispatch':
      if (!args.leadDepartment) throw new ApiFailure('invalid', '派遣须指定牵头单位');
      return { id: eventId, to: { kind: 'department', id: args.leadDepartment }, ...(args.cooperating.length > 0 ? { cooperating: args.cooperating } : {}), note };
    case 'escalate':
      return { id: eventId, reason: note };
    case 'supervise':
    case 'approveExtension':
    case 'close':
    case 'keep':
      return { id: eventId, note };
  }
}

export function decide(ctx: MeetingContext, args: DecideArgs, caller: Caller): Decision {
  const meeting = ctx.openMeeting(args.meetingId);
  const item = ctx.store.item(meeting.id, args.itemId);
  if (!item) throw new ApiFailure('not-found', '议程中没有该议题');
  const snapshot = args.snapshot ? Buffer.from(args.snapshot, 'base64') : null;
  if (snapshot && !pngSize(snapshot)) throw new ApiFailure('invalid', '地图截图不是 PNG 图片');
  const command = DECISION_COMMANDS[args.action] as CommandName | null;
  if (command !== null && item.eventId === null) {
    throw new ApiFailure('invalid', `该议题不是单个事件,不能“${DECISION_ACTION_LABELS[args.action]}”;请选择“${DECISION_ACTION_LABELS.keep}”并写明意见`);
  }
  if (args.leadDepartment && !ctx.replica.departments().some((d) => d.id === args.leadDepartment)) throw new ApiFailure('invalid', `没有部门 ${args.leadDepartment}`);
  // The workflow judges the command (role, status); refused, nothing of the decision is kept.
  const receipt = command !== null ? ctx.runCommand(command, commandArgs(args.action, item.eventId!, args), caller) : null;
  const decision = {
    id: `d-${randomUUID()}`,
    meetingId: meeting.id,
    itemId: item.id,
    eventId: item.eventId,
    action: args.action,
    leadDepartment: args.leadDepartment ?? null,
    cooperating: args.cooperating,
    deadline: args.deadline ?? null,
    instruction: args.instruction,
    commandId: receipt?.commandId ?? null,
    decidedBy: { id: caller.user?.id ?? caller.role, name: nameOf(caller), role: caller.role },
  };
  const decidedAt = ctx.clock();
  ctx.store.write(() => ctx.store.insertDecision({ ...decision, decidedAt, snapshot }));
  ctx.announce();
  return ctx.store.decision(decision.id)!;
}
