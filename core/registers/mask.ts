// What of a register entry leaves the data service, by role. 方案1 asks the grid workers
// to 严格保护个人隐私: ID numbers, phones and addresses are masked for every role by
// default (core/privacy/mask.ts's rules), and revealing one is its own recorded call
// (registers.reveal: a reason, in the audit trail). Special-group tags (困难家庭, 残疾人 …)
// go only to the roles whose work needs them: the dispatcher, the leader, and the village
// for its own grids; never the wall (viewer), the meeting secretary or the admin. A
// viewer never receives a register field at all (core/api/access.ts refuses the methods).
import type { ActorRole } from '../model';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../privacy/mask';
import type { House, Organisation, Person, Pool, SpecialGroup } from './types';

/** Roles whose work needs the special-group tags (the village only within its scope: the service scopes its queries). */
export const TAG_ROLES: ReadonlySet<ActorRole> = new Set<ActorRole>(['dispatcher', 'leader', 'village']);

/** Roles that read residents' names in full (the others see the surname only). */
const NAME_ROLES: ReadonlySet<ActorRole> = new Set<ActorRole>(['dispatcher', 'leader', 'village', 'department']);

/** The fields a reveal may show in full. */
export const REVEALABLE_FIELDS = ['phone', 'idNumber', 'address'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

export function maySeeTags(role: ActorRole): boolean {
  return TAG_ROLES.has(role);
}

/** Does this role read residents' names in full (a mediation file's parties too)? */
export function maySeeNames(role: ActorRole): boolean {
  return NAME_ROLES.has(role);
}

/** A person as a role's screen shows it. */
export interface PersonView {
  id: string;
  name: string;
  idNumber: string;
  phone: string;
  gender?: 'M' | 'F';
  residence: Person['residence'];
  house: string | null;
  grid: string;
  address: string;
  organisation: string | null;
  /** Absent for roles that may not see them. */
  tags?: SpecialGroup[];
  pools: Pool[];
  synthetic?: boolean;
}

export function maskPersonFor(p: Person, role: ActorRole): PersonView {
  const view: PersonView = {
    id: p.id,
    name: NAME_ROLES.has(role) ? p.name : maskName(p.name),
    idNumber: maskIdNumber(p.idNumber),
    phone: p.phone === '' ? '' : maskPhone(p.phone),
    residence: p.residence,
    house: p.house,
    grid: p.grid,
    address: maskAddress(p.address),
    organisation: p.organisation,
    pools: p.pools,
  };
  if (p.gender) view.gender = p.gender;
  if (p.synthetic) view.synthetic = true;
  if (maySeeTags(role)) view.tags = p.tags;
  return view;
}

export type HouseView = Omit<House, 'head'> & { head: string | null };

export function maskHouseFor(h: House): HouseView {
  return { ...h, address: maskAddress(h.address) };
}

export function maskOrganisationFor(o: Organisation): Organisation {
  // An organisation's name and address are public; its contact person's phone is not.
  return { ...o, contact: o.contact === '' ? '' : maskName(o.contact), phone: o.phone === '' ? '' : maskPhone(o.phone) };
}
