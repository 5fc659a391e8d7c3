import type { SessionInfo } from '@agent-otp/shared';
import { createContext, useContext } from 'react';

export interface SessionContextValue {
  session: SessionInfo;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** The signed-in owner; only pages behind sign-in call this. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}
