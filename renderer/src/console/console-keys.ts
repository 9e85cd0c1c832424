// The console's keyboard: one window listener that reads the latest screen through a ref,
// so it is added once and never sees a stale cursor or event.
import { useEffect, useRef, type Dispatch, type RefObject } from 'react';
import type { GridEvent } from '../../../core/model';
import { actionSpec, type ActionSpec } from './actions';
import type { StartAction } from './console-actions';
import type { ConsoleAction } from './console-state';
import type { QueuePages } from './data';
import { cursorTarget, isTypingTarget, keyAction, type KeyAction } from './keyboard';

export interface KeyState {
  modalOpen: boolean;
  cursor: number;
  total: number;
  pages: QueuePages;
  openEvent: GridEvent | null;
  openDispatch: (event: GridEvent) => Promise<void>;
  startAction: StartAction;
  /** Why the person may not register an event (the role table), or null. */
  intakeRefusal: string | null;
}

interface KeyTargets {
  dispatch: Dispatch<ConsoleAction>;
  listRef: RefObject<HTMLDivElement | null>;
  searchRef: RefObject<HTMLInputElement | null>;
}

export function useConsoleKeys(state: KeyState, targets: KeyTargets): void {
  const keyState = useRef(state);
  keyState.current = state;
  const targetsRef = useRef(targets);
  targetsRef.current = targets;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = keyAction(e);
      if (action === null) return;
      const { dispatch } = targetsRef.current;
      if (action === 'escape') {
        if (isTypingTarget(e.target)) (e.target as HTMLElement).blur();
        dispatch({ type: 'rejected', show: false });
        return;
      }
      if (keyState.current.modalOpen || isTypingTarget(e.target)) return;
      // Buttons and links keep Enter for themselves.
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (action === 'open' && (tag === 'BUTTON' || tag === 'A')) return;
      runKeyAction(action, e, keyState.current, targetsRef.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** What a key does to the console when no dialog and no text field has it. */
function runKeyAction(action: KeyAction, e: KeyboardEvent, s: KeyState, { dispatch, listRef, searchRef }: KeyTargets): void {
  const to = cursorTarget(action, s.cursor, s.total);
  if (to !== null) {
    e.preventDefault();
    dispatch({ type: 'cursor', to, total: s.total });
    listRef.current?.focus({ preventScroll: true });
    return;
  }
  switch (action) {
    case 'open': {
      const row = s.pages.row(s.cursor);
      if (row) {
        e.preventDefault();
        dispatch({ type: 'open', id: row.id });
      }
      return;
    }
    case 'search':
      e.preventDefault();
      dispatch({ type: 'left', left: 'queue' });
      searchRef.current?.focus();
      return;
    case 'help':
      e.preventDefault();
      dispatch({ type: 'help', open: true });
      return;
    case 'intake':
      e.preventDefault();
      if (s.intakeRefusal) dispatch({ type: 'notice', notice: { kind: 'error', text: s.intakeRefusal } });
      else dispatch({ type: 'intake', intake: {} });
      return;
    case 'accept':
    case 'dispatch':
    case 'close': {
      e.preventDefault();
      const event = s.openEvent;
      if (!event) {
        dispatch({ type: 'notice', notice: { kind: 'error', text: '请先用 j/k 选择事件并按 Enter 打开。' } });
        return;
      }
      if (action === 'dispatch') void s.openDispatch(event);
      else void s.startAction(actionSpec(action === 'accept' ? 'event.accept' : 'event.close') as ActionSpec, event);
      return;
    }
  }
}
