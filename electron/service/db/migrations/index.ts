// The replica's migrations in order. Append only: a released migration is never
// edited, a change of schema is a new file with the next number.
import type { MigrationInterface } from 'typeorm';
import { Migration0001Replica } from './0001-replica';
import { Migration0002Positions } from './0002-positions';
import { Migration0003EventSearch } from './0003-event-search';
import { Migration0004CommandDismissal } from './0004-command-dismissal';
import { Migration0005EventCounts } from './0005-event-counts';
import { Migration0006People } from './0006-people';
import { Migration0007EventParties } from './0007-event-parties';
import { Migration0008Meeting } from './0008-meeting';
import { Migration0009Assessment } from './0009-assessment';
import { Migration0010Desk } from './0010-desk';
import { Migration0011Field } from './0011-field';
import { Migration0012CommandIds } from './0012-command-ids';
import { Migration0013Registers } from './0013-registers';
import { Migration0014EventMasks } from './0014-event-masks';

export const MIGRATIONS: ReadonlyArray<new () => MigrationInterface> = [
  Migration0001Replica,
  Migration0002Positions,
  Migration0003EventSearch,
  Migration0004CommandDismissal,
  Migration0005EventCounts,
  Migration0006People,
  Migration0007EventParties,
  Migration0008Meeting,
  Migration0009Assessment,
  Migration0010Desk,
  Migration0011Field,
  Migration0012CommandIds,
  Migration0013Registers,
  Migration0014EventMasks,
];
