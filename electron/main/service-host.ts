// Runs the data service in an Electron utilityProcess (a synchronous SQLite
// driver on the main thread would freeze every window), relays requests to it
// by id, relays the windows' push subscriptions and forwards each push to the
// window it is for, and restarts the service when it dies.
//
// A command carries the client's idempotency key (core/api/idempotency.ts): when the
// service dies with it unanswered, nobody knows whether it was applied, so the host keeps
// it and sends it again, unchanged (the same key), to the restarted service, which
// answers a key it knows with its first answer. Only queries are failed at a crash.
import { utilityProcess } from 'electron';
import type { UtilityProcess } from 'electron';
import { IDEMPOTENCY_FIELD } from '../../core/api/idempotency';
import type { CallContext, ServiceMessage, ServiceRequest, ServiceSubscription } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { apiError } from '../../core/api/contract';

export interface ServiceHostOptions {
  /** The built service entry (out/main/service.js). */
  modulePath: string;
  args: string[];
  /** Added to the inherited environment (secrets that must not appear in argv). */
  env?: Record<string, string>;
  /** A push for one window's subscription (window-sessions.ts). */
  onPush(subscription: string, topic: string, payload: unknown): void;
  /** The service (re)started: it knows no subscription yet. */
  onStart(): void;
  log(line: string): void;
  /** Per call; an unanswered call becomes `unavailable`, never a hung view. */
  timeoutMs?: number;
  /** Starts the service process (tests give a fake); Electron's utilityProcess.fork by default. */
  fork?: ForkService;
}

/** What the host uses of a utility process. */
export type ServiceProcess = Pick<UtilityProcess, 'postMessage' | 'kill'> & {
  on(event: 'message', listener: (message: ServiceMessage) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
};
export type ForkService = (modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit'; env: NodeJS.ProcessEnv }) => ServiceProcess;

interface Pending {
  resolve(response: ApiResponse): void;
  timer: NodeJS.Timeout;
  request: ServiceRequest;
  /** A command with a key: sent again after a crash instead of failed. */
  keyed: boolean;
}

/** A command's answer the host could not get in time: the client keeps it pending and sends it again (same key). */
const KEYED_TIMEOUT = '数据服务没有及时应答,指令结果待确认';
const hasKey = (args: unknown): boolean => typeof args === 'object' && args !== null && typeof (args as Record<string, unknown>)[IDEMPOTENCY_FIELD] === 'string';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A service that stayed up this long is healthy again: the next crash restarts at once. */
const HEALTHY_AFTER_MS = 60_000;

export class ServiceHost {
  private child: ServiceProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private backoff = MIN_BACKOFF_MS;
  private startedAt = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ServiceHostOptions) {}

  start(): void {
    if (this.stopping || this.child) return;
    const fork: ForkService = this.options.fork ?? ((path, args, options) => utilityProcess.fork(path, args, options));
    const child = fork(this.options.modulePath, this.options.args, {
      serviceName: 'GridDeck data service',
      stdio: 'inherit',
      env: { ...process.env, ...this.options.env },
    });
    this.child = child;
    this.startedAt = Date.now();
    child.on('message', (message: ServiceMessage) => this.onMessage(message));
    child.on('exit', (code) => this.onExit(child, code));
    this.options.onStart();
    // Commands left unanswered by the last process, sent again as they were (their keys make that safe).
    for (const pending of this.pending.values()) child.postMessage(pending.request);
  }

  /** Sent to the running service; a service that is restarting gets every subscription again (onStart). */
  subscription(message: ServiceSubscription): void {
    this.child?.postMessage(message);
  }

  invoke(method: string, args: unknown, context: CallContext): Promise<ApiResponse> {
    const child = this.child;
    const keyed = hasKey(args);
    // A keyed command waits for the restarted service (start() sends it); anything else is told at once.
    if (!child && (!keyed || this.stopping)) return Promise.resolve(apiError('unavailable', '数据服务正在重启,请稍后重试'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(apiError('unavailable', keyed ? KEYED_TIMEOUT : '数据服务没有及时应答'));
      }, this.options.timeoutMs ?? 30_000);
      const request: ServiceRequest = { id, method, args, context };
      this.pending.set(id, { resolve, timer, request, keyed });
      child?.postMessage(request);
    });
  }

  stop(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.failPending('数据服务已停止');
    this.child?.kill();
    this.child = null;
  }

  private onMessage(message: ServiceMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if ('push' in message) {
      this.options.onPush(message.subscription, message.push.topic, message.push.payload);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(message.id);
    pending.resolve(message.response);
  }

  private onExit(child: ServiceProcess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    // Queries may simply be asked again; keyed commands stay pending and go to the next process.
    this.failPending('数据服务意外退出,正在重启,请重试', (p) => !p.keyed);
    if (this.stopping) return;
    if (Date.now() - this.startedAt > HEALTHY_AFTER_MS) this.backoff = MIN_BACKOFF_MS;
    this.options.log(`data service exited with code ${code}; restarting in ${this.backoff} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }

  private failPending(message: string, which: (pending: Pending) => boolean = () => true): void {
    for (const [id, pending] of this.pending) {
      if (!which(pending)) continue;
      clearTimeout(pending.timer);
      pending.resolve(apiError('unavailable', message));
      this.pending.delete(id);
    }
  }
}
