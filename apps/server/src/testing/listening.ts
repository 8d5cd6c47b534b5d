/** Test fixture: an app on a real listening socket, and raw HTTP requests with any headers. */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer, DEFAULT_CONNECTION_LIMITS } from '../http/httpServer.js';
import type { ConnectionLimits } from '../http/httpServer.js';

export interface Listening {
  server: Server;
  port: number;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 on a free port through the bounded HTTP server. */
export async function listen(
  app: RequestListener,
  limits: Partial<ConnectionLimits> = {},
): Promise<Listening> {
  const server = createHttpServer(app, { ...DEFAULT_CONNECTION_LIMITS, ...limits });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Raw requests with any headers: one helper, shared with the abuse run. */
export {
  errorCodeOf as errorCode,
  sendRawRequest as send,
  type RawRequest,
  type RawResponse,
} from '@hvm/stress-support';
