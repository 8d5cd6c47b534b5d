import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { errorMessage, onUnauthenticated } from '../../api/client';
import { SignInDialog } from './SignInDialog';
import { sessionKey, sessionQuery } from './sessionApi';
import type { SessionInfo } from './sessionApi';

/**
 * Shows the console once the server says who the user is: at once when sign-in is off, after the
 * Connect to Server dialog when it is required. A 401 from any request (the session ended) asks
 * the server again, which brings the dialog back.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery());

  useEffect(
    () =>
      onUnauthenticated(() => {
        void queryClient.invalidateQueries({ queryKey: sessionKey });
      }),
    [queryClient],
  );

  if (session.isPending) {
    return (
      <div className="session-status" role="status">
        Connecting to server...
      </div>
    );
  }
  if (session.isError) {
    return (
      <div className="session-status" role="alert">
        <p>Hyper-V Manager cannot connect to the server: {errorMessage(session.error)}</p>
        <button type="button" onClick={() => void session.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (session.data.authentication === 'required' && !session.data.signedIn) {
    const signedIn = (next: SessionInfo) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, next);
    };
    return (
      <div className="app app-signed-out">
        <SignInDialog computerName={session.data.computerName} onSignedIn={signedIn} />
      </div>
    );
  }
  return children;
}
