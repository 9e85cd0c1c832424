// Who acted, as an event's history names them. Since people log in, an entry carries the
// person's name and role (the data service signs every command with its caller); older
// entries and the county's carry only an actor id, named from the reference data.
import { ROLE_LABELS } from '../../../core/events/labels';
import type { ActorRole } from '../../../core/model';

/** An entry as far as its actor goes: `name` and `role` when the service recorded them. */
export interface ActorOfEntry {
  actor: string;
  name?: string | undefined;
  role?: string | undefined;
}

/** "王伟（调度员）" when the entry names the person, else `fallback` (the reference data's name for the actor id). */
export function historyActorText(entry: ActorOfEntry, fallback: string): string {
  const name = entry.name?.trim();
  if (!name) return fallback;
  const role = entry.role ? (ROLE_LABELS as Partial<Record<string, string>>)[entry.role as ActorRole] : undefined;
  return role ? `${name}（${role}）` : name;
}
