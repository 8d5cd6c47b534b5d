/** The session of the server: whether sign-in is required, who is signed in, the CSRF token. */
import { queryOptions } from '@tanstack/react-query';
import type { SessionInfo as SharedSessionInfo } from '@hvm/contracts';
import { isApiError, request, setCsrfToken } from '../../api/client';

export type Role = 'administrator' | 'checkpoint-operator' | 'reader';
export type Permission = 'read' | 'readHost' | 'manageCheckpoints' | 'manageHost' | 'runPowerShell';

/** GET and POST /session: the server's type, shared through @hvm/contracts. */
export type SessionInfo = SharedSessionInfo<Role, Permission>;

export const everyPermission: Permission[] = [
  'read',
  'readHost',
  'manageCheckpoints',
  'manageHost',
  'runPowerShell',
];

/** What a server without `/session` means: no sign-in, the local Administrator. */
const withoutSignIn: SessionInfo = {
  authentication: 'off',
  signedIn: true,
  user: {
    name: 'Administrator',
    role: 'administrator',
    roleName: 'Administrator',
    virtualMachines: [],
    permissions: everyPermission,
  },
  csrfToken: null,
  computerName: '',
};

export const sessionKey = ['session'] as const;

function remember(session: SessionInfo): SessionInfo {
  setCsrfToken(session.csrfToken);
  return session;
}

export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo> {
  try {
    return remember(await request<SessionInfo>('/session', signal ? { signal } : {}));
  } catch (error) {
    if (isApiError(error) && error.status === 404) return remember(withoutSignIn);
    throw error;
  }
}

export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Infinity,
    retry: false,
  });

export async function signIn(userName: string, password: string): Promise<SessionInfo> {
  return remember(
    await request<SessionInfo>('/session', { method: 'POST', body: { userName, password } }),
  );
}

export async function signOut(): Promise<void> {
  await request<undefined>('/session', { method: 'DELETE' });
  setCsrfToken(null);
}
