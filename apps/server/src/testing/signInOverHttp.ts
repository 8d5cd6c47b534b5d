/** Test fixture: the app on a real port, and sign-ins sent over their own connections. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface SignInAnswer {
  status: number;
  retryAfter: string | null;
  setCookie: string | null;
  body: { error?: { code: string; message: string; details?: unknown } };
}

export interface ListeningApp {
  /** POST /api/v1/session with these headers (e.g. a forged `x-forwarded-for`). */
  signIn: (
    userName: string,
    password: string,
    headers?: Record<string, string>,
  ) => Promise<SignInAnswer>;
  close: () => void;
}

export async function listen(app: Express): Promise<ListeningApp> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    signIn: async (userName, password, headers = {}) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close', ...headers },
        body: JSON.stringify({ userName, password }),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        setCookie: response.headers.get('set-cookie'),
        body: (await response.json()) as SignInAnswer['body'],
      };
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
