// The people of the town's center on the app API: accounts, sessions, device tokens,
// the audit trail and the audited reveal of personal data. Shapes only (zod, used by
// the contract); the rules live where they are enforced: the role table in
// core/api/access.ts, the password policy in core/people/policy.ts, the store and the
// hash chain in the data service (electron/service/people/).
import * as z from 'zod';
import { ACCOUNT_ROLES } from '../model';
import { IsoTimeSchema } from './schemas';
import { GRID_CODE_PATTERN } from '../grid/codes';

export const AccountRoleSchema = z.enum(ACCOUNT_ROLES);

/** 3-32 characters: letters, digits, dot, underscore, dash; case-insensitive (kept lower-case). */
export const UsernameSchema = z
  .string()
  .trim()
  .min(3, '用户名至少 3 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能包含字母、数字、点、下划线和连字符')
  .transform((u) => u.toLowerCase());

/** A password as typed; the policy (length, classes) is checked by core/people/policy.ts, not here. */
export const PasswordSchema = z.string().min(1, '请输入密码').max(128, '密码最多 128 个字符');

const DisplayNameSchema = z.string().trim().min(1, '请输入姓名').max(40);
const IdSchema = z.string().min(1).max(128);
/** Grid codes (a village's 12-digit code covers every grid below it). */
const GridScopeSchema = z.array(z.string().regex(GRID_CODE_PATTERN, '网格编码应为 9、12 或 15 位数字')).max(500);

/** What names a person of the town and bounds what they see: an account, and the session's user. */
const personShape = {
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: AccountRoleSchema,
  departmentId: z.string().optional(),
  /** The grid codes the role is confined to, as granted (absent: the whole town). */
  grids: z.array(z.string()).optional(),
};

/** Who is logged in, as a session names them. `grids`: the scope of a scoped role (village codes expanded by the service). */
export const SessionUserSchema = z.object({
  ...personShape,
  /** Set when the session was opened by a device token (a wall or meeting screen), not a person. */
  device: z.object({ id: z.string(), name: z.string() }).optional(),
  /** The password was set by an admin (creation, reset): the screen asks the person to change it (auth.password). */
  mustChangePassword: z.boolean().optional(),
});
export type SessionUser = z.output<typeof SessionUserSchema>;

export const AuthResultSchema = z.object({
  /** The session token: the Socket.IO handshake's `auth.token`, or each IPC call's. */
  token: z.string(),
  user: SessionUserSchema,
  /** When the session ends if unused (idle timeout); a device session has none. */
  idleTimeoutMs: z.number().int().positive().nullable(),
});

export const AccountSchema = z.object({
  ...personShape,
  disabled: z.boolean(),
  /** Set while the account is locked after repeated failures. */
  lockedUntil: IsoTimeSchema.nullable(),
  lastLoginAt: IsoTimeSchema.nullable(),
  createdAt: IsoTimeSchema,
  /** The password was set by an admin (reset or creation): the person should change it. */
  mustChangePassword: z.boolean(),
});
export type Account = z.output<typeof AccountSchema>;

export const AccountCreateArgsSchema = z.strictObject({
  username: UsernameSchema,
  name: DisplayNameSchema,
  role: AccountRoleSchema,
  password: PasswordSchema,
  departmentId: IdSchema.optional(),
  grids: GridScopeSchema.optional(),
});

/** The first admin account, made on first run outside the demo (auth.setup). */
export const SetupArgsSchema = z.strictObject({
  username: UsernameSchema,
  name: DisplayNameSchema,
  password: PasswordSchema,
});

/** One of the demo's accounts as the login screen lists them (app.info, demo only). */
export const DemoAccountSchema = z.object({ username: z.string(), role: AccountRoleSchema, password: z.string() });
export type DemoAccount = z.output<typeof DemoAccountSchema>;

export const AccountUpdateArgsSchema = z.strictObject({
  id: IdSchema,
  name: DisplayNameSchema.optional(),
  role: AccountRoleSchema.optional(),
  departmentId: IdSchema.nullable().optional(),
  grids: GridScopeSchema.nullable().optional(),
  disabled: z.boolean().optional(),
});

export const DeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Devices are screens: always viewers. */
  role: z.literal('viewer'),
  createdAt: IsoTimeSchema,
  createdBy: z.string(),
  /** When the one-time enrolment code was exchanged for the device's session (null: not yet). */
  enrolledAt: IsoTimeSchema.nullable(),
  lastSeenAt: IsoTimeSchema.nullable(),
  revokedAt: IsoTimeSchema.nullable(),
});

export const DeviceIssuedSchema = z.object({
  device: DeviceSchema,
  /** The one-time enrolment code: shown once, exchanged by auth.device on the screen's first load. */
  code: z.string(),
  /** The path to open on the screen (`/wall#device=CODE`): the code rides in the fragment, never sent in a request line. */
  path: z.string(),
});

export const AUDIT_KINDS = [
  'login',
  'login-failed',
  'logout',
  'session-expired',
  'command',
  'reveal',
  'export',
  'account',
  'device',
  'settings',
] as const;
export const AuditKindSchema = z.enum(AUDIT_KINDS);
export type AuditKind = z.output<typeof AuditKindSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: IsoTimeSchema,
  kind: AuditKindSchema,
  /** The account (or device) id; null for a failed login of an unknown name. */
  actorId: z.string().nullable(),
  actorName: z.string(),
  role: z.string(),
  /** Where from: `window:console`, `remote:192.168.1.20`, `device:d-…`, `cli`. */
  seat: z.string(),
  /** What: the method or command, the account changed, the field revealed … */
  action: z.string(),
  /** The event or account concerned, when there is one. */
  target: z.string().nullable(),
  /** Free detail (the reveal's reason, the command's number, the failure's cause). */
  detail: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.output<typeof AuditEntrySchema>;

export const AuditListArgsSchema = z.strictObject({
  kind: AuditKindSchema.optional(),
  actorId: z.string().max(128).optional(),
  target: z.string().max(128).optional(),
  from: IsoTimeSchema.optional(),
  to: IsoTimeSchema.optional(),
  /** Entries with a smaller seq (paging backwards, newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const REVEAL_FIELDS = ['phone', 'idNumber'] as const;
export const RevealArgsSchema = z.strictObject({
  eventId: IdSchema,
  field: z.enum(REVEAL_FIELDS),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
});

export const SettingsSchema = z.object({
  /** A person's session ends after this long without a call (default 12 hours). */
  sessionIdleHours: z.number().min(0.25).max(24 * 7),
});
