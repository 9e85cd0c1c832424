// The screen of a role that works on some events only (a department's 我的任务, a
// village's events): the list the service scopes for it, with tabs and a search; the
// open event in full with the actions the workflow and the role table allow this
// person (EventDetail, ActionDialog of the console); the map with the event on it;
// and, where the role may report, the intake form picking its place on the map.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { ActionDialog } from '../console/ActionDialog';
import type { ActionSpec } from '../console/actions';
import { CommandContext } from '../console/commands';
import { ConsoleMap } from '../console/ConsoleMap';
import { useCommandRunner } from '../console/console-actions';
import { errorText, useCoalesced } from '../console/data';
import { EventDetail, useEventDetail } from '../console/EventDetail';
import { IntakeForm } from '../console/IntakeForm';
import { ReferenceProvider } from '../console/reference';
import { useApi } from '../platform/context';
import { useEventChanges } from '../platform/hooks';
import { useSession } from '../session/context';
import { RoleHeader } from './RoleHeader';
import { WorkList } from './WorkList';
import { workListArgs, type WorkTab } from './workspace-model';
import '../console/console.css';

interface Props {
  title: string;
  tabs: readonly WorkTab[];
  /** Shown above the list: what this screen holds. */
  note: ReactNode;
  /** More buttons in the header (the village's 登记台账). */
  actions?: ReactNode;
}

export function EventWorkspace(props: Props) {
  return (
    <ReferenceProvider>
      <Workspace {...props} />
    </ReferenceProvider>
  );
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

function Workspace({ title, tabs, note, actions }: Props) {
  const { may } = useSession();
  const runner = useCommandRunner();
  const [tab, setTab] = useState<WorkTab>(tabs[0] as WorkTab);
  const [text, setText] = useState('');
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const intake = useIntakeState();
  const list = useWorkPage(tab, text, offset);
  const detail = useEventDetail(openId);
  const openEvent = detail.event && detail.event.id === openId ? detail.event : null;
  const listProps = {
    tabs,
    tab,
    onTab: (t: WorkTab) => (setTab(t), setOffset(0)),
    text,
    onText: (t: string) => (setText(t), setOffset(0)),
    page: list,
    offset,
    onOffset: setOffset,
    openId,
    onOpen: (id: string) => (setOpenId(id), setNotice(null)),
  };
  return (
    <CommandContext.Provider value={runner}>
      <div className="console console-app role-app">
        <RoleHeader title={title}>
          {actions}
          {may('event.create') && (
            <button type="button" className="btn btn-primary" onClick={() => intake.setOpen(true)}>
              上报事件
            </button>
          )}
        </RoleHeader>
        <main className="console-main">
          <section className="cpanel cpanel-left" aria-label="事件列表">
            <p className="role-note">{note}</p>
            <WorkList {...listProps} />
          </section>
          <section className="cpanel cpanel-detail" aria-label="事件">
            {openId === null ? (
              <p className="muted empty-detail">在左侧列表中选择一个事件。</p>
            ) : (
              <EventDetail detail={detail} notice={notice} onAction={(spec) => openEvent && setDialog({ spec, event: openEvent })} duplicates={null} />
            )}
          </section>
          <section className="cpanel cpanel-map" aria-label="地图">
            <ConsoleMap
              selection={openId ? { kind: 'event', id: openId } : null}
              onSelection={(s) => s?.kind === 'event' && setOpenId(s.id)}
              event={openEvent}
              focus={intake.open ? intake.point : null}
              onPick={intake.open ? intake.pick : null}
            />
          </section>
        </main>
        <Overlays dialog={dialog} setDialog={setDialog} intake={intake} setNotice={setNotice} setOpenId={setOpenId} reload={list.reload} />
      </div>
    </CommandContext.Provider>
  );
}

type Dialog = { spec: ActionSpec; event: GridEvent } | null;

/** The intake form's state: open, the map's clicks it takes, the point it rings. */
function useIntakeState() {
  const [open, setOpen] = useState(false);
  const [pick, setPick] = useState<((lon: number, lat: number) => void) | null>(null);
  const [point, setPoint] = useState<{ lon: number; lat: number } | null>(null);
  const onPickMode = useCallback((p: ((lon: number, lat: number) => void) | null) => setPick(() => p), []);
  return { open, setOpen, pick, point, setPoint, onPickMode };
}

/** An action's dialog and the intake form, over the screen. */
function Overlays(p: {
  dialog: Dialog;
  setDialog: (d: Dialog) => void;
  intake: ReturnType<typeof useIntakeState>;
  setNotice: (n: Notice) => void;
  setOpenId: (id: string) => void;
  reload: () => void;
}) {
  const { dialog, intake } = p;
  return (
    <>
      {dialog && (
        <ActionDialog
          spec={dialog.spec}
          event={dialog.event}
          onClose={() => p.setDialog(null)}
          onDone={(message) => {
            p.setDialog(null);
            p.setNotice({ kind: 'ok', text: message });
            p.reload();
          }}
        />
      )}
      {intake.open && (
        <IntakeForm
          onPickMode={intake.onPickMode}
          onPoint={intake.setPoint}
          onClose={() => intake.setOpen(false)}
          onCreated={(id, code) => {
            intake.setOpen(false);
            p.setOpenId(id);
            p.setNotice({ kind: 'ok', text: `已上报 ${code}（本地已生效，等待县级平台确认）` });
            p.reload();
          }}
        />
      )}
    </>
  );
}

export interface WorkPage {
  items: GridEvent[];
  total: number;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** One page of the tab, asked again (coalesced) when the replica's events change. */
function useWorkPage(tab: WorkTab, text: string, offset: number): WorkPage {
  const api = useApi();
  const [round, setRound] = useState(0);
  const [page, setPage] = useState<{ data: ResultOf<'events.list'> | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const key = JSON.stringify(workListArgs(tab, text, offset));
  useEffect(() => {
    let live = true;
    setPage((p) => ({ ...p, loading: true }));
    api.call('events.list', JSON.parse(key) as ReturnType<typeof workListArgs>).then(
      (data) => live && setPage({ data, error: null, loading: false }),
      (e: unknown) => live && setPage({ data: null, error: errorText(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [api, key, round]);
  const later = useCoalesced(reload, 500);
  useEventChanges(useCallback((change) => change.types.includes('event') && later(), [later]));
  return { items: page.data?.items ?? [], total: page.data?.total ?? 0, error: page.error, loading: page.loading, reload };
}
