// The logged-in person, for every screen below the gate (Gate.tsx): who it is, the actor
// the workflow offers commands to, what the role may call, and logging out.
import { createContext, useContext } from 'react';
import type { MethodName } from '../../../core/api/contract';
import type { SessionUser } from '../../../core/api/people';
import type { Actor } from '../../../core/model';

export interface Session {
  user: SessionUser;
  actor: Actor;
  /** The service's role table (core/api/access.ts): screens hide what it would refuse. */
  may(method: MethodName): boolean;
  logout(): Promise<void>;
  /** Opens the change-password dialog. */
  changePassword(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('SessionContext is missing above this component (renderer/src/session/Gate.tsx)');
  return session;
}

/** The session when there is one (screens that also run before login, or in a test). */
export const useOptionalSession = (): Session | null => useContext(SessionContext);
