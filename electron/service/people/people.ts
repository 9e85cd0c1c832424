// The people of the town's center as the data service sees them: logins and their
// lockout, sessions (idle expiry, device sessions), the audit trail, and the session
// ends the transports must act on. Accounts, devices and settings are managed in
// admin.ts over the same object. Every change is one write of the replica's writer
// with its audit entry; listeners learn of ended sessions after the write committed.
import type { Caller, Seat } from '../../../core/api/channels';
import type { PayloadOf, ResultOf } from '../../../core/api/contract';
import type { AuditEntry, SessionUser } from '../../../core/api/people';
import { afterFailure, checkPassword, isLocked } from '../../../core/people/policy';
import { toIso } from '../../../core/time/shanghai';
import { ApiFailure } from '../service';
import { appendAuditIn, type AuditInput } from './audit';
import { accountById, accountByUsername, countAccounts, gridsOf, lockState, markLoginRow, setLockRow, setPasswordRow, storedPassword, type AccountRow } from './accounts';
import { deviceByCodeHash, deviceById, enrolDevice, touchDevice, type DeviceRow } from './devices';
import { DEFAULT_SCRYPT, hashPassword, sha256Hex, spendVerifyTime, verifyPassword, type ScryptParams, type StoredPassword } from './passwords';
import { endSession, endSessionsOf, idleSessions, openSession, sessionById, sessionByToken, touchSession, type EndReason, type SessionRow } from './sessions';
import { readSettings, type Settings } from './settings';
import { seatText, stmt, type PeopleDb } from './store';

export type SessionEnded = PayloadOf<'auth.ended'>;
export type SessionEndedListener = (sessionId: string, ended: SessionEnded) => void;

export const END_MESSAGES: Readonly<Record<EndReason, string>> = {
  logout: '已退出登录',
  expired: '长时间未操作,登录已过期,请重新登录',
  disabled: '账户已被管理员停用',
  revoked: '此屏幕的设备令牌已被吊销',
  reset: '密码已重置或更改,请重新登录',
};

/** last_seen_at is written at most this often per session (a call every second costs no write). */
export const TOUCH_EVERY_MS = 60_000;
/** How far back a sweep looks for sessions ended by another process (clocks of two processes differ a little). */
const SWEEP_OVERLAP_MS = 5 * 60_000;
/** Ended sessions older than this are dropped by the sweep. */
const ENDED_SESSIONS_KEPT_MS = 90 * 86_400_000;

const isEndReason = (reason: string): reason is EndReason => Object.hasOwn(END_MESSAGES, reason);

/** Who acts, as the audit trail names them. */
export interface Who {
  actorId: string | null;
  actorName: string;
  role: string;
  seat: string;
}

/** The actor of an audit entry from a caller (an in-process caller without a person: the service itself). */
export function whoOf(caller: Caller): Who {
  const user = caller.user;
  if (!user) return { actorId: null, actorName: '本机服务', role: caller.role, seat: seatText(caller.seat) };
  return { actorId: user.id, actorName: user.name, role: caller.role, seat: seatText(caller.seat, user.deviceId) };
}

export type Resolved =
  | { ok: true; session: SessionRow; account: AccountRow; device?: undefined }
  | { ok: true; session: SessionRow; device: DeviceRow; account?: undefined }
  | { ok: false; reason: 'none' | 'ended' };

export interface PeopleOptions {
  store: PeopleDb;
  clock?: () => number;
  /** The parameters of new password hashes (tests lower them). */
  scrypt?: ScryptParams;
  /** Does the replica know this department? undefined: cannot tell (not synced yet). */
  knownDepartment?: (id: string) => boolean | undefined;
}

export class People {
  readonly db: PeopleDb['db'];
  readonly clock: () => number;
  readonly knownDepartment: (id: string) => boolean | undefined;
  private readonly store: PeopleDb;
  private readonly scrypt: ScryptParams;
  private readonly listeners = new Set<SessionEndedListener>();
  private pendingEnded: [string, EndReason][] = [];
  /** Sessions announced lately (id → when), so that the sweep does not announce them twice. */
  private readonly announced = new Map<string, number>();
  private lastSweepAt: number;
  private settingsCache: Settings | null = null;

  constructor(options: PeopleOptions) {
    this.store = options.store;
    this.db = options.store.db;
    this.clock = options.clock ?? Date.now;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.knownDepartment = options.knownDepartment ?? (() => undefined);
    this.lastSweepAt = this.clock();
  }

  // ---------------------------------------------------------------- writes, audit, session ends

  /**
   * One write (with its audit entries); ended sessions are announced after it committed.
   * A refusal raised with refuseAfterCommit keeps what the write recorded (a failed
   * login, a lock) and is thrown once it is committed; any other throw rolls back.
   */
  write<T>(fn: () => T): T {
    let refusal: ApiFailure | null = null;
    let result: T;
    try {
      result = this.store.write(() => {
        try {
          return fn();
        } catch (error) {
          if (!(error instanceof CommittedFailure)) throw error;
          refusal = error.failure;
          return undefined as T;
        }
      });
    } catch (error) {
      this.pendingEnded = [];
      throw error;
    }
    const ended = this.pendingEnded.splice(0);
    for (const [id, reason] of ended) this.announce(id, reason);
    if (refusal) throw refusal;
    return result;
  }

  /** Appends an audit entry inside the open write transaction (the change it records). */
  auditIn(input: AuditInput): AuditEntry {
    return appendAuditIn(this.db, input, this.clock());
  }

  /** Appends an audit entry in a write of its own (audit.append: exports and the like). */
  audit(input: AuditInput): AuditEntry {
    return this.write(() => this.auditIn(input));
  }

  /** Ends the open sessions of an account or a device inside the open write; announced after it commits. */
  endSessionsIn(owner: { accountId: string } | { deviceId: string }, reason: EndReason, exceptId?: string): number {
    const ids = endSessionsOf(this.db, owner, reason, this.clock(), exceptId);
    for (const id of ids) this.pendingEnded.push([id, reason]);
    return ids.length;
  }

  onSessionEnded(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(sessionId: string, reason: EndReason): void {
    this.announced.set(sessionId, this.clock());
    for (const listener of this.listeners) {
      try {
        listener(sessionId, { reason, message: END_MESSAGES[reason] });
      } catch {
        // One failing transport must not keep the others from cutting the session off.
      }
    }
  }

  hash(password: string): Promise<StoredPassword> {
    return hashPassword(password, this.scrypt);
  }

  settings(): Settings {
    return (this.settingsCache ??= readSettings(this.db));
  }

  /** After settings.update. */
  settingsChanged(): void {
    this.settingsCache = null;
  }

  idleMs(): number {
    return this.settings().sessionIdleHours * 3_600_000;
  }

  needsSetup(): boolean {
    return countAccounts(this.db) === 0;
  }

  // ---------------------------------------------------------------- logging in

  /** auth.login: username and password → a session; failures count towards the lockout. */
  async login(username: string, password: string, seat: Seat | undefined): Promise<ResultOf<'auth.login'>> {
    const name = username.trim().toLowerCase();
    const where = seatText(seat);
    const found = accountByUsername(this.db, name);
    if (!found) {
      await spendVerifyTime(password, this.scrypt);
      this.audit({ kind: 'login-failed', actorId: null, actorName: name.slice(0, 64), role: '', seat: where, action: 'auth.login', detail: '用户名不存在' });
      throw new ApiFailure('unauthorized', '用户名或密码错误');
    }
    this.refuseLocked(found, where, this.clock());
    const matches = await verifyPassword(password, storedPassword(found));
    return this.write(() => {
      const now = this.clock();
      const account = accountById(this.db, found.id) as AccountRow;
      const failed = (detail: string): AuditInput => ({ kind: 'login-failed', actorId: account.id, actorName: account.name, role: account.role, seat: where, action: 'auth.login', detail });
      // A lock set by a concurrent failure while this password was checked holds too.
      if (isLocked(lockState(account), now)) return this.lockedIn(account, failed('账户已锁定'));
      if (!matches) return this.failedIn(account, now, failed);
      if (account.disabled) {
        this.auditIn(failed('账户已停用'));
        return refuseAfterCommit(new ApiFailure('unauthorized', '账户已停用,请联系管理员'));
      }
      markLoginRow(this.db, account.id, now);
      const session = openSession(this.db, { accountId: account.id }, where, now);
      this.auditIn({ kind: 'login', actorId: account.id, actorName: account.name, role: account.role, seat: where, action: 'auth.login', detail: `会话 ${session.id}` });
      return { token: session.token, user: sessionUserOf(account), idleTimeoutMs: this.idleMs() };
    });
  }

  /** Before checking a password: a locked account answers `locked` (the attempt is recorded). */
  private refuseLocked(account: AccountRow, seat: string, now: number): void {
    if (!isLocked(lockState(account), now)) return;
    this.write(() =>
      this.lockedIn(account, { kind: 'login-failed', actorId: account.id, actorName: account.name, role: account.role, seat, action: 'auth.login', detail: '账户已锁定' }),
    );
  }

  private lockedIn(account: AccountRow, entry: AuditInput): never {
    this.auditIn(entry);
    return refuseAfterCommit(lockedFailure(account.locked_until ?? this.clock()));
  }

  /** One more failure inside the open write: counted, recorded, and the lock when it is the fifth. */
  private failedIn(account: AccountRow, now: number, entry: (detail: string) => AuditInput, wrong = new ApiFailure('unauthorized', '用户名或密码错误')): never {
    const next = afterFailure(lockState(account), now);
    setLockRow(this.db, account.id, next);
    if (next.lockedUntil !== null) {
      this.auditIn(entry(`密码错误,连续失败,账户锁定至 ${toIso(next.lockedUntil)}`));
      return refuseAfterCommit(lockedFailure(next.lockedUntil));
    }
    this.auditIn(entry(`密码错误(15 分钟内第 ${next.failedCount} 次)`));
    return refuseAfterCommit(wrong);
  }

  // ---------------------------------------------------------------- sessions

  /** The session of a token, or why there is none. Expires an idle one; notes the use (at most once a minute). */
  resolve(token: string): Resolved {
    if (token.length < 16 || token.length > 256) return { ok: false, reason: 'none' };
    const session = sessionByToken(this.db, token);
    if (!session) return { ok: false, reason: 'none' };
    if (session.ended_at !== null) return { ok: false, reason: 'ended' };
    const now = this.clock();
    if (session.account_id !== null) {
      const account = accountById(this.db, session.account_id);
      if (!account || account.disabled) return this.endNow(session, 'disabled');
      if (now - session.last_seen_at > this.idleMs()) return this.expire(session, account);
      if (now - session.last_seen_at >= TOUCH_EVERY_MS) this.write(() => touchSession(this.db, session.id, now));
      return { ok: true, session, account };
    }
    const device = deviceById(this.db, session.device_id ?? '');
    if (!device || device.revoked_at !== null) return this.endNow(session, 'revoked');
    if (now - session.last_seen_at >= TOUCH_EVERY_MS) {
      this.write(() => {
        touchSession(this.db, session.id, now);
        touchDevice(this.db, device.id, now);
      });
    }
    return { ok: true, session, device };
  }

  private endNow(session: SessionRow, reason: EndReason): Resolved {
    this.write(() => {
      if (endSession(this.db, session.id, reason, this.clock())) this.pendingEnded.push([session.id, reason]);
    });
    return { ok: false, reason: 'ended' };
  }

  private expire(session: SessionRow, account: AccountRow): Resolved {
    this.write(() => this.expireIn(session, account));
    return { ok: false, reason: 'ended' };
  }

  private expireIn(session: SessionRow, account: Pick<AccountRow, 'id' | 'name' | 'role'>): void {
    if (!endSession(this.db, session.id, 'expired', this.clock())) return;
    this.pendingEnded.push([session.id, 'expired']);
    const idle = Math.round((this.clock() - session.last_seen_at) / 60_000);
    this.auditIn({ kind: 'session-expired', actorId: account.id, actorName: account.name, role: account.role, seat: session.seat, action: 'session.expire', detail: `会话 ${session.id} 已闲置 ${idle} 分钟` });
  }

  /**
   * Run every minute by the service: ends every person's session idle for longer than
   * the setting, and announces the sessions another process ended meanwhile (the
   * accounts CLI's reset), so that their screens are cut off without waiting for a call.
   */
  sweep(): number {
    const now = this.clock();
    const idle = idleSessions(this.db, now - this.idleMs());
    if (idle.length > 0) {
      this.write(() => {
        for (const session of idle) {
          const account = accountById(this.db, session.account_id ?? '');
          this.expireIn(session, account ?? { id: session.account_id ?? '', name: '', role: 'viewer' });
        }
      });
    }
    // Another process writes with its own clock: look back a little.
    const elsewhere = stmt<{ id: string; end_reason: string }>(this.db, 'SELECT id, end_reason FROM sessions WHERE ended_at >= ?').all(this.lastSweepAt - SWEEP_OVERLAP_MS);
    for (const { id, end_reason } of elsewhere) {
      if (!this.announced.has(id) && isEndReason(end_reason)) this.announce(id, end_reason);
    }
    for (const [id, at] of this.announced) if (at < now - 2 * SWEEP_OVERLAP_MS) this.announced.delete(id);
    // Ended sessions are kept a while for support (the audit trail keeps the logins for ever).
    const cutoff = now - ENDED_SESSIONS_KEPT_MS;
    if (stmt(this.db, 'SELECT 1 FROM sessions WHERE ended_at < ? LIMIT 1').get(cutoff)) this.write(() => stmt(this.db, 'DELETE FROM sessions WHERE ended_at < ?').run(cutoff));
    this.lastSweepAt = now;
    return idle.length;
  }

  /** The caller a resolved session makes, at this seat. */
  callerOf(resolved: Extract<Resolved, { ok: true }>, seat: Seat | undefined): Caller {
    const base = { sessionId: resolved.session.id, ...(seat ? { seat } : {}) };
    if (resolved.device) {
      const d = resolved.device;
      return { role: 'viewer', user: { id: d.id, name: d.name, username: `device:${d.id}`, deviceId: d.id }, ...base };
    }
    const a = resolved.account;
    const grids = gridsOf(a);
    const dept = a.department_id !== null ? { departmentId: a.department_id } : {};
    return { role: a.role, user: { id: a.id, name: a.name, username: a.username, ...dept }, ...(grids ? { grids } : {}), ...dept, ...base };
  }

  /** auth.me: who the caller's session names. */
  me(caller: Caller): SessionUser {
    const session = this.sessionOf(caller);
    if (session.device_id !== null) {
      const device = deviceById(this.db, session.device_id) as DeviceRow;
      return { id: device.id, username: `device:${device.id}`, name: device.name, role: 'viewer', device: { id: device.id, name: device.name } };
    }
    return sessionUserOf(accountById(this.db, session.account_id ?? '') as AccountRow);
  }

  private sessionOf(caller: Caller): SessionRow {
    const row = caller.sessionId ? sessionById(this.db, caller.sessionId) : undefined;
    if (!row || row.ended_at !== null) throw new ApiFailure('unauthorized', '请先登录');
    return row;
  }

  /** auth.logout: ends the caller's session. */
  logout(caller: Caller): ResultOf<'auth.logout'> {
    const session = this.sessionOf(caller);
    const who = whoOf(caller);
    this.write(() => {
      if (endSession(this.db, session.id, 'logout', this.clock())) this.pendingEnded.push([session.id, 'logout']);
      this.auditIn({ ...who, kind: 'logout', action: 'auth.logout', detail: `会话 ${session.id}` });
    });
    return { loggedOut: true };
  }

  /** auth.password: the person's own password; the other sessions of the account end. */
  async changePassword(caller: Caller, current: string, next: string): Promise<ResultOf<'auth.password'>> {
    const session = this.sessionOf(caller);
    const account = accountById(this.db, session.account_id ?? '');
    if (!account) throw new ApiFailure('forbidden', '设备会话没有密码可改');
    const where = seatText(caller.seat);
    this.refuseLocked(account, where, this.clock());
    const policy = checkPassword(next, account.username);
    if (!policy.ok) throw new ApiFailure('invalid', policy.message);
    if (!(await verifyPassword(current, storedPassword(account)))) {
      // Counted like a failed login (a session must not be a way round the lockout); `invalid`, not
      // `unauthorized`: the person stays logged in.
      const entry = (detail: string): AuditInput => ({ kind: 'login-failed', actorId: account.id, actorName: account.name, role: account.role, seat: where, action: 'auth.password', detail: `当前密码不正确:${detail}` });
      this.write(() => this.failedIn(accountById(this.db, account.id) as AccountRow, this.clock(), entry, new ApiFailure('invalid', '当前密码不正确')));
    }
    if (current === next) throw new ApiFailure('invalid', '新密码不能与当前密码相同');
    const stored = await this.hash(next);
    this.write(() => {
      setPasswordRow(this.db, account.id, stored, false, this.clock());
      this.endSessionsIn({ accountId: account.id }, 'reset', session.id);
      this.auditIn({ ...whoOf(caller), kind: 'account', action: 'auth.password', target: account.id, detail: '本人修改密码,其他会话已结束' });
    });
    return { changed: true };
  }

  // ---------------------------------------------------------------- devices

  /** auth.device: a device's one-time code → the device's session (the code cannot be used again). */
  loginDevice(code: string, seat: Seat | undefined): ResultOf<'auth.device'> {
    const where = seatText(seat);
    return this.write(() => {
      const now = this.clock();
      const device = deviceByCodeHash(this.db, sha256Hex(code));
      const refuse = (detail: string, message: string): never => {
        this.auditIn({ kind: 'login-failed', actorId: device?.id ?? null, actorName: device?.name ?? '未知设备', role: 'viewer', seat: where, action: 'auth.device', detail });
        return refuseAfterCommit(new ApiFailure('unauthorized', message));
      };
      if (!device) return refuse('设备码无效', '设备码无效,请向管理员索取新的设备链接');
      if (device.revoked_at !== null) return refuse('设备令牌已吊销', '此设备令牌已被吊销');
      if (!enrolDevice(this.db, device.id, now)) return refuse('设备码已使用过(重放)', '设备码已使用过,请向管理员索取新的设备链接');
      const session = openSession(this.db, { deviceId: device.id }, seatText(seat, device.id), now);
      this.auditIn({ kind: 'login', actorId: device.id, actorName: device.name, role: 'viewer', seat: seatText(seat, device.id), action: 'auth.device', detail: `会话 ${session.id}` });
      return {
        token: session.token,
        user: { id: device.id, username: `device:${device.id}`, name: device.name, role: 'viewer', device: { id: device.id, name: device.name } },
        idleTimeoutMs: null,
      };
    });
  }
}

export function sessionUserOf(account: AccountRow): SessionUser {
  const grids = gridsOf(account);
  return {
    id: account.id,
    username: account.username,
    name: account.name,
    role: account.role,
    ...(account.department_id !== null ? { departmentId: account.department_id } : {}),
    ...(grids ? { grids } : {}),
    mustChangePassword: account.must_change_password !== 0,
  };
}

/** `locked`, saying until when (Shanghai time). */
export function lockedFailure(until: number): ApiFailure {
  const at = toIso(until);
  return new ApiFailure('locked', `登录失败次数过多,账户已锁定至 ${at.slice(0, 10)} ${at.slice(11, 16)},请稍后再试或请管理员重置密码`);
}

/** A refusal raised inside People.write that keeps what the write recorded (see write). */
class CommittedFailure extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

/** Inside People.write: answers `failure` once the write (its audit entry, a lock) has committed. */
export function refuseAfterCommit(failure: ApiFailure): never {
  throw new CommittedFailure(failure);
}
