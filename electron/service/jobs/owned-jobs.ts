// The service's long jobs (the exports, the registers' imports): each kept in memory under
// the person who started it, polled for its progress by its id (its file read back in
// chunks of EXPORT_CHUNK), and dropped some time after it ended. One store for both, so
// who owns a job and what another person gets for its id are written once.
import type { Caller } from '../../../core/api/channels';
import { ApiFailure } from '../service';

/** Whose a job is: the account, else the session (a device), else the role (a test's bare caller). */
export const ownerOf = (caller: Caller): string => caller.user?.id ?? caller.sessionId ?? `role:${caller.role}`;

export interface OwnedJob {
  owner: string;
  /** When it last moved (started, received a part, ended): the sweep counts from here. */
  at: number;
}

export class OwnedJobs<J extends OwnedJob> {
  private readonly jobs = new Map<string, J>();

  /** `notFound`: the message for an id that is not the caller's (or is gone), the same for both. */
  constructor(private readonly notFound: string) {}

  add(id: string, job: J): void {
    this.jobs.set(id, job);
  }

  /** The caller's job of this id; another person's, or one swept away, is `not-found`. */
  of(id: string, caller: Caller): J {
    const job = this.jobs.get(id);
    if (!job || job.owner !== ownerOf(caller)) throw new ApiFailure('not-found', this.notFound);
    return job;
  }

  /** Drops the jobs `expired` says are over (after `dropped` ran for each, e.g. to delete its file). */
  sweep(expired: (job: J) => boolean, dropped: (job: J) => void = () => undefined): void {
    for (const [id, job] of this.jobs) {
      if (!expired(job)) continue;
      dropped(job);
      this.jobs.delete(id);
    }
  }

  values(): IterableIterator<J> {
    return this.jobs.values();
  }
}
