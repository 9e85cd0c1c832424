// The gate every page passes: it finds out who is at the screen (a device code to
// exchange, else auth.me with the token held), shows the login screen while nobody is,
// and then the screen of the role (session-model.ts homeFor) with a fresh event store
// for this person. A session that ends under the page (auth.ended, an `unauthorized`
// answer) brings the login screen back with the reason.
import { Suspense, lazy, useCallback, useEffect, useMemo, useReducer, useRef, useState, type Dispatch, type ReactNode } from 'react';
import { BRIDGE_KEY } from '../../../core/api/channels';
import type { ResultOf } from '../../../core/api/contract';
import type { SessionUser } from '../../../core/api/people';
import { ConsoleApp } from '../console/ConsoleApp';
import { assessmentRoute } from '../assessment/drill';
import { errorText } from '../console/data';
import { ServicesProvider, useServices, type Services } from '../platform/context';
import { newEventStore } from '../platform';
import type { EventStore } from '../platform/event-store';
import type { DeviceCode } from '../platform/session-store';
import { SessionContext, type Session } from './context';
import { LoginScreen } from './LoginScreen';
import { PasswordDialog } from './PasswordDialog';
import { SetupScreen } from './SetupScreen';
import { INITIAL_GATE, actorOf, gateReducer, homeFor, mayUser, mustChangeOf, needsSetup, type Gate as GateState, type GateAction, type Home } from './session-model';
import { useQuery } from '../platform/hooks';
import { meetingHome } from '../meeting/route';

const WallApp = lazy(() => import('../wall/WallApp').then((m) => ({ default: m.WallApp })));
const AdminApp = lazy(() => import('../admin/AdminApp').then((m) => ({ default: m.AdminApp })));
const TasksApp = lazy(() => import('../tasks/TasksApp').then((m) => ({ default: m.TasksApp })));
const VillageApp = lazy(() => import('../village/VillageApp').then((m) => ({ default: m.VillageApp })));
const AssessmentRoutes = lazy(() => import('../assessment/AssessmentRoutes').then((m) => ({ default: m.AssessmentRoutes })));
const SecretaryApp = lazy(() => import('../secretary/SecretaryApp').then((m) => ({ default: m.SecretaryApp })));

type AuthResult = ResultOf<'auth.login'>;

export function Gate({ deviceCode, wallRoute }: { deviceCode: DeviceCode; wallRoute: boolean }) {
  const services = useServices();
  const [gate, dispatch] = useReducer(gateReducer, INITIAL_GATE);
  useFirstSession(deviceCode, wallRoute, dispatch);
  useEffect(() => services.session.onEnded((message) => dispatch({ type: 'anonymous', message })), [services.session]);
  const onLoggedIn = useCallback(
    (result: AuthResult) => {
      services.session.begin(result.token, 'person');
      dispatch({ type: 'login', user: result.user, mustChange: mustChangeOf(result) });
    },
    [services.session],
  );

  if (gate.kind === 'checking') return <div className="login-page" aria-busy="true" />;
  if (gate.kind === 'anonymous') return <Anonymous message={gate.message} wallRoute={wallRoute} onLoggedIn={onLoggedIn} />;
  return <SignedIn gate={gate} wallRoute={wallRoute} dispatch={dispatch} />;
}

/** Nobody logged in: the first admin to make (first run outside the demo), or the login screen. */
function Anonymous({ message, wallRoute, onLoggedIn }: { message: string | null; wallRoute: boolean; onLoggedIn: (r: AuthResult) => void }) {
  const info = useQuery('app.info');
  if (!wallRoute && needsSetup(info.data)) return <SetupScreen onDone={onLoggedIn} onRecheck={info.reload} />;
  return <LoginScreen message={message} onLoggedIn={onLoggedIn} wall={wallRoute} />;
}

/**
 * The Electron wall window shows the wall without anyone logging in (the main process
 * names it a viewer): no session to ask auth.me about, but the wall's reads answer.
 */
const WALL_WINDOW: SessionUser = { id: 'window:wall', username: 'window:wall', name: '大屏窗口', role: 'viewer' };

/** Once per page: exchange the wall's enrolment code, or ask who the held token belongs to. */
function useFirstSession(deviceCode: DeviceCode, wallRoute: boolean, dispatch: Dispatch<GateAction>): void {
  const { api, session } = useServices();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (deviceCode && 'invalid' in deviceCode) {
      dispatch({ type: 'anonymous', message: '打开的设备授权链接不完整或格式不正确，请向管理员重新获取。' });
      return;
    }
    const anonymous = (refused: string | null, e: unknown): void =>
      dispatch({ type: 'anonymous', message: refused ?? ((e as { code?: string }).code === 'unauthorized' ? null : errorText(e)) });
    const me = (refused: string | null): void => {
      api.call('auth.me').then(
        (user) => dispatch({ type: 'me', user }),
        (e: unknown) => {
          if (!wallRoute || !window[BRIDGE_KEY]) return anonymous(refused, e);
          api.call('link.status').then(
            () => dispatch({ type: 'me', user: WALL_WINDOW }),
            () => anonymous(refused, e),
          );
        },
      );
    };
    if (!deviceCode) return me(null);
    api.call('auth.device', { code: deviceCode.code }).then(
      (result) => {
        session.begin(result.token, 'device');
        dispatch({ type: 'login', user: result.user, mustChange: false });
      },
      // A screen enrolled already keeps its session (the link opened twice); otherwise say why.
      (e: unknown) => me(`设备授权链接无效（已使用、已吊销或已过期）：${errorText(e)}`),
    );
  }, [api, session, deviceCode, wallRoute, dispatch]);
}

/** Logged in: the role's screen over a fresh event store, and the password dialog when due. */
function SignedIn({ gate, wallRoute, dispatch }: { gate: Extract<GateState, { kind: 'in' }>; wallRoute: boolean; dispatch: Dispatch<GateAction> }) {
  const services = useServices();
  const [changing, setChanging] = useState(false);
  const scoped = useSessionServices(services, gate.key);
  const { user } = gate;
  const value = useMemo<Session>(
    () => ({
      user,
      actor: actorOf(user),
      may: (method) => mayUser(user, method),
      changePassword: () => setChanging(true),
      logout: async () => {
        const token = services.session.token();
        await services.api.call('auth.logout').catch(() => undefined);
        if (services.session.token() === token) services.session.end();
        dispatch({ type: 'anonymous', message: '已退出登录。' });
      },
    }),
    [user, services, dispatch],
  );
  const forced = gate.mustChange;
  if (!scoped) return null;
  return (
    <ServicesProvider services={scoped}>
      <SessionContext.Provider value={value}>
        {!forced && <HomeScreen home={meetingHome(user.role, homeFor(user.role, wallRoute), window.location.hash)} />}
        {(forced || changing) && (
          <PasswordDialog
            forced={forced}
            onCancel={() => setChanging(false)}
            onDone={() => {
              setChanging(false);
              dispatch({ type: 'passwordChanged' });
            }}
          />
        )}
      </SessionContext.Provider>
    </ServicesProvider>
  );
}

/** The services with an event store of this session's own (closed when the person changes); null for the first render. */
function useSessionServices(services: Services, key: number): Services | null {
  const [store, setStore] = useState<{ key: number; store: EventStore } | null>(null);
  useEffect(() => {
    const fresh = newEventStore(services.api);
    setStore({ key, store: fresh });
    return () => fresh.close();
  }, [services.api, key]);
  return useMemo(() => (store && store.key === key ? { ...services, store: store.store } : null), [services, store, key]);
}

const HOMES: Readonly<Record<Home, () => ReactNode>> = {
  console: () => <ConsoleApp />,
  admin: () => <AdminApp />,
  tasks: () => <TasksApp />,
  village: () => <VillageApp />,
  secretary: () => <SecretaryApp />,
  wall: () => <WallApp />,
};

function HomeScreen({ home }: { home: Home }) {
  // 考核评估, 分析研判 and the monthly report (issue 11), for every role but the admin and the wall.
  const route = assessmentRoute(window.location.hash);
  if (route !== null && home !== 'admin' && home !== 'wall') {
    return (
      <Suspense fallback={<div className="login-page" aria-busy="true" />}>
        <AssessmentRoutes route={route} />
      </Suspense>
    );
  }
  const fallback = home === 'wall' ? <div style={{ position: 'fixed', inset: 0, background: '#030b15' }} /> : <div className="login-page" aria-busy="true" />;
  return <Suspense fallback={fallback}>{HOMES[home]()}</Suspense>;
}
