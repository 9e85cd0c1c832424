// Which screen a person lands on for the meeting: the secretary's home is the meeting
// screen; a leader, who lands on the console, opens it at `/#meeting` to present and decide.
import type { Home } from '../session/session-model';

export const MEETING_HASH = '#meeting';

export function meetingHome(role: string, home: Home, hash: string): Home {
  return role === 'leader' && home === 'console' && hash === MEETING_HASH ? 'secretary' : home;
}
