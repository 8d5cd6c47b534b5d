import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { sessionKey, sessionQuery, signOut } from './sessionApi';
import type { SessionInfo } from './sessionApi';
import './signIn.css';

/** The signed-in user, the role and Sign out, in the title bar; nothing when sign-in is off. */
export function SignedInUser() {
  const queryClient = useQueryClient();
  const { data: session } = useQuery(sessionQuery());
  const [problem, setProblem] = useState<string | null>(null);
  if (session?.authentication !== 'required' || session.user === null) return null;

  const leave = () => {
    signOut().then(
      () => {
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
        queryClient.setQueryData<SessionInfo>(sessionKey, {
          ...session,
          signedIn: false,
          user: null,
          csrfToken: null,
        });
      },
      (error: unknown) => setProblem(errorMessage(error)),
    );
  };

  return (
    <div className="signed-in-user">
      <span className="signed-in-name">
        {session.user.name} ({session.user.roleName})
      </span>
      {problem !== null && (
        <span role="alert" className="signed-in-problem">
          {problem}
        </span>
      )}
      <button type="button" className="link-button" onClick={leave}>
        Sign out
      </button>
    </div>
  );
}
