// The data service's log (issue 12): structured lines (pino, one JSON object a line) in
// a file of the app's data folder, rotated by size with a bounded number of files, so a
// PC that runs for a year never fills its disk with logs:
//   <dir>/griddeck.log        the current file
//   <dir>/griddeck.1.log …    older ones, .1 the newest; at most `files` in all
// Everything the service logs goes there: the county link's lines (component
// "county-link"), the service's errors, backups and recoveries (component "ops").
// Secrets (the county token, passwords, session tokens) never reach the file: pino's
// `redact` censors them as fields, and every message is scrubbed of the known secrets
// and of phone and ID numbers (core's maskText) before it is written.
// In development the lines also go to stderr as plain text, as before.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { maskText } from '../../../core/privacy/mask';
import type { LinkLogger } from '../link/county-link';
import type { ServiceLog } from '../service';

export const LOG_FILE_NAME = 'griddeck.log';
/** Defaults: 10 MiB a file, 5 files (50 MiB in all). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_FILES = 5;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const REDACTED = '[REDACTED]';
/** Field paths censored wherever they appear at these depths. */
const REDACT_PATHS = [
  'token',
  'password',
  'secret',
  'authorization',
  'cookie',
  'phone',
  'idNumber',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.cookie',
  '*.phone',
  '*.idNumber',
  'auth.token',
  '*.auth.token',
  'args.password',
  'args.reporter',
];

/** The older file of rank `n` (1 = the newest after the current one). */
export function rotatedName(dir: string, n: number): string {
  return n === 0 ? join(dir, LOG_FILE_NAME) : join(dir, LOG_FILE_NAME.replace(/\.log$/, `.${n}.log`));
}

/**
 * A file that rotates itself by size: a write that would take it past `maxBytes` first
 * shifts griddeck.log to griddeck.1.log (and .1 to .2 …, the oldest dropped), then
 * writes to a fresh griddeck.log. Writes are synchronous: a line logged just before a
 * crash is in the file.
 */
export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly dir: string,
    private readonly maxBytes = DEFAULT_LOG_MAX_BYTES,
    private readonly files = DEFAULT_LOG_FILES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  get path(): string {
    return rotatedName(this.dir, 0);
  }

  write(chunk: string): void {
    const bytes = Buffer.byteLength(chunk);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    try {
      writeSync(this.fd, chunk);
      this.size += bytes;
    } catch {
      // A full disk or a vanished folder: the log must never take the service down.
    }
  }

  /** Shifts the files by one and opens a fresh current file. */
  rotate(): void {
    try {
      closeSync(this.fd);
      const oldest = rotatedName(this.dir, this.files - 1);
      if (existsSync(oldest)) rmSync(oldest, { force: true });
      for (let n = this.files - 2; n >= 0; n--) {
        const from = rotatedName(this.dir, n);
        if (existsSync(from)) renameSync(from, rotatedName(this.dir, n + 1));
      }
    } catch {
      // A file another program holds open (Windows): keep writing to a fresh current file.
    }
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
  }
}

export interface ServiceLoggerOptions {
  /** The folder of the log files (created when missing). */
  dir: string;
  level?: LogLevel;
  maxBytes?: number;
  files?: number;
  /** Also print each line's message to stderr (development, the CLI). Default true. */
  stderr?: boolean;
}

export interface ServiceLogger {
  /** The structured logger (children per component). */
  readonly pino: Logger;
  /** The current log file's absolute path: what "请查看日志" points to. */
  readonly file: string;
  readonly dir: string;
  /** The county link's logger (component county-link). */
  readonly link: LinkLogger;
  /** The service's error log (component service), with the file's path for its messages. */
  readonly service: ServiceLog;
  /** Operations: backups, recovery, the disk (component ops). */
  readonly ops: LinkLogger;
  /** A value never to be written (the county token): scrubbed from every message from now on. */
  addSecret(secret: string): void;
  close(): void;
}

/** A message fit for the file: known secrets replaced, phone and ID numbers masked, one line. */
export function scrub(message: string, secrets: ReadonlySet<string>): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return maskText(out).replace(/[\r\n]+/g, ' ');
}

export function createServiceLogger(options: ServiceLoggerOptions): ServiceLogger {
  const file = new RotatingFile(options.dir, options.maxBytes, options.files);
  const secrets = new Set<string>();
  const toStderr = options.stderr !== false;
  const root = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: {
        // An error's text may quote what failed (a token in a URL, a number in a SQL value).
        err: (err: Error) => ({ type: err.name, message: scrub(err.message, secrets), stack: scrub(err.stack ?? '', secrets), code: (err as { code?: unknown }).code }),
      },
      hooks: {
        // Messages are scrubbed here, before pino formats the line.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a, secrets) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    { write: (line: string) => file.write(line) },
  );
  const leveled = (component: string): LinkLogger => {
    const child = root.child({ component });
    const say = (level: 'info' | 'warn' | 'error') => (message: string) => {
      child[level](message);
      if (toStderr) console.error(scrub(message, secrets));
    };
    return { info: say('info'), warn: say('warn'), error: say('error') };
  };
  const serviceChild = root.child({ component: 'service' });
  return {
    pino: root,
    file: file.path,
    dir: options.dir,
    link: leveled('county-link'),
    ops: leveled('ops'),
    service: {
      file: file.path,
      error(message, detail) {
        const err = detail instanceof Error ? detail : undefined;
        serviceChild.error(err ? { err } : detail === undefined ? {} : { detail: String(detail) }, message);
        if (toStderr) console.error(scrub(message, secrets), err ? scrub(err.stack ?? err.message, secrets) : '');
      },
    },
    addSecret: (secret) => {
      if (secret) secrets.add(secret);
    },
    close: () => {
      root.flush?.();
      file.close();
    },
  };
}
