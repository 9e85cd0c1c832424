// The console's commands as hooks: sending one, asking whom to dispatch, starting an
// action on an event (at once or through its dialog), and redoing a command the county
// rejected. Each writes the screen state only through the console reducer's dispatch.
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { CommandName } from '../../../core/events/commands';
import type { GridEvent } from '../../../core/model';
import type { ApiClient } from '../platform';
import { useApi, useEventStore } from '../platform/context';
import { ACTIONS, actionSpec, inputFromArgs, whyNot, type ActionInput, type ActionSpec } from './actions';
import { doneText, type CommandOutcome, type CommandRunner } from './commands';
import type { ConsoleAction, ConsoleNotice } from './console-state';
import { errorText } from './data';
import { intakeFromArgs } from './intake';
import { useReference } from './reference';
import { useSession } from '../session/context';
import { mayCall } from '../../../core/api/access';

type Recommendations = ResultOf<'dispatch.recommend'>;
type SetNotice = (n: ConsoleNotice | null) => void;
export type StartAction = (spec: ActionSpec, event: GridEvent, initial?: ActionInput, redoOf?: number) => Promise<void>;

const runCommand = async (api: ApiClient, name: CommandName, args: Record<string, unknown>): Promise<CommandOutcome> => {
  try {
    const call = api.call as (m: CommandName, a: unknown) => Promise<ResultOf<'event.accept'>>;
    const receipt = await call(name, args);
    return { ok: true, n: receipt.n, eventId: receipt.eventId };
  } catch (e) {
    return { ok: false, message: errorText(e) };
  }
};

export function useCommandRunner(): CommandRunner {
  const api = useApi();
  return useMemo<CommandRunner>(
    () => ({
      // The service pushes the command's change (with the event) before it answers: the
      // queue, the counts and the detail follow from the event store, no asking back.
      run: (name, args) => runCommand(api, name, args),
    }),
    [api],
  );
}

/** Whom to send: asked when the open event can be dispatched (also drawn on the map). */
export function useRecommendations(openEvent: GridEvent | null): [Recommendations | undefined, (r: Recommendations) => void] {
  const api = useApi();
  const [recommendations, setRecommendations] = useState<Recommendations | undefined>(undefined);
  const recommendFor = openEvent?.status === 'accepted' ? openEvent.id : null;
  useEffect(() => {
    setRecommendations(undefined);
    if (recommendFor === null) return;
    let live = true;
    api.call('dispatch.recommend', { eventId: recommendFor, limit: 5 }).then(
      (r) => live && setRecommendations(r),
      () => live && setRecommendations([]),
    );
    return () => {
      live = false;
    };
  }, [api, recommendFor]);
  return [recommendations, setRecommendations];
}

/** After a redone command succeeded: the rejected one leaves the list. */
export function useAfterRedo(rejected: { reload: () => void }): (redoOf: number | undefined) => Promise<void> {
  const api = useApi();
  return useCallback(
    async (redoOf: number | undefined) => {
      if (redoOf === undefined) return;
      try {
        await api.call('commands.dismiss', { n: redoOf });
      } catch {
        // Still listed: the dispatcher can drop it by hand.
      }
      rejected.reload();
    },
    [api, rejected],
  );
}

/** Opens an action on the open event: directly when it asks nothing, else its dialog; or says why not. */
export function useStartAction(
  runner: CommandRunner,
  afterRedo: (redoOf: number | undefined) => Promise<void>,
  setNotice: SetNotice,
  dispatch: Dispatch<ConsoleAction>,
): StartAction {
  const ref = useReference();
  const { actor } = useSession();
  return useCallback(
    async (spec: ActionSpec, event: GridEvent, initial?: ActionInput, redoOf?: number) => {
      const why = whyNot(event, spec.name, actor, (id) => ref.worker.get(id));
      if (why !== null) {
        setNotice({ kind: 'error', text: `不能${spec.label}：${why}` });
        return;
      }
      if (spec.direct) {
        const outcome = await runner.run(spec.name, { id: event.id, ...((initial?.note ? { note: initial.note } : {}) as object) });
        setNotice(outcome.ok ? { kind: 'ok', text: doneText(spec.name) } : { kind: 'error', text: outcome.message });
        if (outcome.ok) void afterRedo(redoOf);
        return;
      }
      dispatch({ type: 'dialog', dialog: { spec, event, ...(initial ? { initial } : {}), ...(redoOf !== undefined ? { redoOf } : {}) } });
    },
    [ref, actor, runner, afterRedo, setNotice, dispatch],
  );
}

/** The dispatch dialog, with the first recommended grid worker chosen. */
export function useOpenDispatch(
  recommendations: Recommendations | undefined,
  setRecommendations: (r: Recommendations) => void,
  startAction: StartAction,
): (event: GridEvent) => Promise<void> {
  const api = useApi();
  const ref = useReference();
  const { actor } = useSession();
  return useCallback(
    async (event: GridEvent) => {
      const spec = actionSpec('event.dispatch') as ActionSpec;
      if (whyNot(event, spec.name, actor, (id) => ref.worker.get(id)) !== null) return startAction(spec, event);
      let recs = recommendations;
      if (recs === undefined) {
        recs = await api.call('dispatch.recommend', { eventId: event.id, limit: 5 }).catch(() => []);
        setRecommendations(recs);
      }
      // A dispatch rule pre-fills the target and the cooperating departments; without one the nearest worker is offered first.
      const proposal = mayCall(actor.role, 'desk.dispatchProposal') ? await api.call('desk.dispatchProposal', { eventId: event.id }).catch(() => null) : null;
      if (proposal?.to && proposal.rule) return startAction(spec, event, { to: proposal.to, cooperating: proposal.cooperating, basis: proposal.basis });
      const first = recs[0];
      return startAction(spec, event, first ? { to: { kind: 'person', id: first.worker.id } } : {});
    },
    [api, recommendations, setRecommendations, ref, actor, startAction],
  );
}

/** A rejected command done again: the intake form or the action's dialog, prefilled from its arguments. */
export function useRedo(setNotice: SetNotice, dispatch: Dispatch<ConsoleAction>): (command: ResultOf<'commands.rejected'>[number]) => Promise<void> {
  const store = useEventStore();
  const ref = useReference();
  const { actor } = useSession();
  return useCallback(
    async (command: ResultOf<'commands.rejected'>[number]) => {
      dispatch({ type: 'rejected', show: false });
      if (command.name === 'event.create') {
        dispatch({ type: 'intake', intake: { initial: intakeFromArgs(command.args), redoOf: command.n } });
        return;
      }
      const spec = ACTIONS.find((a) => a.name === command.name);
      const id = (command.args as { id?: unknown } | null)?.id;
      if (!spec || typeof id !== 'string') {
        setNotice({ kind: 'error', text: `调度台不能重做“${command.name}”，请移出列表。` });
        return;
      }
      dispatch({ type: 'open', id });
      const event = await store.load(id, true).catch(() => null);
      if (!event) {
        setNotice({ kind: 'error', text: '本地副本中已没有该事件，无法重做。' });
        return;
      }
      // A command that asks nothing is still shown in its dialog, so the dispatcher confirms the redo.
      const why = whyNot(event, spec.name, actor, (w) => ref.worker.get(w));
      if (why !== null) {
        setNotice({ kind: 'error', text: `不能重做${spec.label}：${why}` });
        return;
      }
      dispatch({ type: 'dialog', dialog: { spec, event, initial: inputFromArgs(command.args), redoOf: command.n } });
    },
    [store, ref, actor, setNotice, dispatch],
  );
}
