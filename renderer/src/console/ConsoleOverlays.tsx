// What opens over the console: the rejected commands, an action's dialog, the intake
// form and the keyboard help. Each closes through the console reducer.
import type { Dispatch, RefObject } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { ActionDialog } from './ActionDialog';
import type { ConsoleAction, ConsoleNotice, ConsoleState, Target } from './console-state';
import { HelpOverlay } from './HelpOverlay';
import { IntakeForm } from './IntakeForm';
import { RejectedCommands } from './RejectedCommands';

type Rejected = ResultOf<'commands.rejected'>;

export interface OverlayProps {
  state: Pick<ConsoleState, 'showRejected' | 'dialog' | 'intake' | 'help'>;
  dispatch: Dispatch<ConsoleAction>;
  rejected: { items: Rejected; reload: () => void };
  redo: (command: Rejected[number]) => Promise<void>;
  openById: (id: string) => void;
  recommendations: ResultOf<'dispatch.recommend'> | undefined;
  onTarget: (t: Target | null) => void;
  onPickMode: (pick: ((lon: number, lat: number) => void) | null) => void;
  onIntakePoint: (point: { lon: number; lat: number } | null) => void;
  /** An event this console entered: no arrival alert for it. */
  markOwn: (eventId: string) => void;
  afterRedo: (redoOf: number | undefined) => Promise<void>;
  setNotice: (n: ConsoleNotice | null) => void;
  listRef: RefObject<HTMLDivElement | null>;
}

export function ConsoleOverlays(p: OverlayProps) {
  const { state, dispatch } = p;
  return (
    <>
      {state.showRejected && (
        <RejectedCommands
          items={p.rejected.items}
          onRedo={(c) => void p.redo(c)}
          onDismissed={p.rejected.reload}
          onClose={() => dispatch({ type: 'rejected', show: false })}
          onOpenEvent={p.openById}
        />
      )}
      {state.dialog && <DialogOverlay {...p} dialog={state.dialog} />}
      {state.intake && <IntakeOverlay {...p} intake={state.intake} />}
      {state.help && <HelpOverlay onClose={() => dispatch({ type: 'help', open: false })} />}
    </>
  );
}

function DialogOverlay({ dialog, dispatch, recommendations, onTarget, setNotice, afterRedo, listRef }: OverlayProps & { dialog: NonNullable<ConsoleState['dialog']> }) {
  return (
    <ActionDialog
      spec={dialog.spec}
      event={dialog.event}
      {...(dialog.initial ? { initial: dialog.initial } : {})}
      {...(dialog.spec.name === 'event.dispatch' ? { recommendations } : {})}
      onTarget={onTarget}
      onClose={() => dispatch({ type: 'dialog', dialog: null })}
      onDone={(message) => {
        const redoOf = dialog.redoOf;
        dispatch({ type: 'dialog', dialog: null });
        setNotice({ kind: 'ok', text: message });
        void afterRedo(redoOf);
        listRef.current?.focus({ preventScroll: true });
      }}
    />
  );
}

function IntakeOverlay({ intake, dispatch, onPickMode, onIntakePoint, markOwn, setNotice, afterRedo }: OverlayProps & { intake: NonNullable<ConsoleState['intake']> }) {
  return (
    <IntakeForm
      {...(intake.initial ? { initial: intake.initial } : {})}
      onPickMode={onPickMode}
      onPoint={onIntakePoint}
      onClose={() => dispatch({ type: 'intake', intake: null })}
      onCreated={(id, code) => {
        markOwn(id);
        const redoOf = intake.redoOf;
        dispatch({ type: 'intake', intake: null });
        dispatch({ type: 'open', id });
        setNotice({ kind: 'ok', text: `已登记 ${code}（本地已生效，等待县级平台确认）` });
        void afterRedo(redoOf);
      }}
    />
  );
}
