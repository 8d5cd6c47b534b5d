/**
 * Virtual Machine Connection of a VM whose guest runs under QEMU: its serial console.
 *
 * - `GET /vms/:vmId/serial-console` (`text/event-stream`): `event: backlog` with the recent output
 *   first, then `event: output` as the guest prints; `data:` is the bytes in base64 (the guest's
 *   output is bytes, a UTF-8 character may be cut between two events). `event: ended` and the end
 *   of the stream when the VM is deleted. Anyone who may read the VM may watch.
 * - `POST /vms/:vmId/serial-console/input` `{ "text": "..." }`: types it into the running guest
 *   (UTF-8), 204. Administrators only (the route rules): a Reader cannot type into a guest.
 *
 * Why Server-Sent Events and POST rather than a WebSocket: apps/server/README.md.
 *
 * Bounds: a viewer whose connection does not take the output as fast as the guest prints it
 * (more than `maxBufferedBytes` waiting in the socket) is dropped; its browser connects again
 * after the stream's `retry` and starts from the backlog. Streams count with the event streams
 * of the session (app.ts), the engine bounds the viewers of one VM and what waits for the guest.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Host, SerialConsoleConnection } from '@hvm/engine';
import { SERIAL_CONSOLE_MAX_INPUT_BYTES } from '@hvm/engine';
import { vmParams } from '../http/schemas.js';
import { validateBody, validateParams } from '../http/validate.js';
import { defaultHeartbeatMs, openStream } from './events.js';

/** What may wait in one viewer's socket before it counts as too slow and is dropped. */
export const SERIAL_CONSOLE_MAX_BUFFERED_BYTES = 256 * 1024;

export const serialConsoleInput = z.strictObject({
  text: z.string().min(1).max(SERIAL_CONSOLE_MAX_INPUT_BYTES),
});

export interface SerialConsoleRouteOptions {
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

const event = (name: string, bytes: Uint8Array): string =>
  `event: ${name}\ndata: ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}\n\n`;

export function serialConsoleRoutes(host: Host, options: SerialConsoleRouteOptions = {}): Router {
  const router = Router();
  const maxBuffered = options.maxBufferedBytes ?? SERIAL_CONSOLE_MAX_BUFFERED_BYTES;

  router.get('/vms/:vmId/serial-console', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    let closed = false;
    const cleanups: (() => void)[] = [];
    const close = (): void => {
      if (closed) return;
      closed = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
    };
    // Connect before the stream opens: a refusal is an ordinary error answer.
    const connection: SerialConsoleConnection = host.connectSerialConsole(vmId, {
      output: (bytes) => {
        if (closed || res.writableEnded) return;
        if (res.writableLength > maxBuffered) {
          // Too slow: dropped, so the server's memory stays bounded.
          close();
          res.destroy();
          return;
        }
        res.write(event('output', bytes));
      },
    });
    cleanups.push(() => connection.disconnect());
    openStream(res);
    res.write(event('backlog', connection.backlog));
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': heartbeat\n\n');
    }, options.heartbeatMs ?? defaultHeartbeatMs);
    heartbeat.unref();
    cleanups.push(() => clearInterval(heartbeat));
    cleanups.push(
      host.subscribe((hostEvent) => {
        if (hostEvent.type !== 'vm-removed' || hostEvent.vmId !== vmId) return;
        close();
        res.end('event: ended\ndata: \n\n');
      }),
    );
    req.on('close', close);
    res.on('close', close);
  });

  router.post('/vms/:vmId/serial-console/input', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const { text } = validateBody(serialConsoleInput, req);
    host.typeIntoSerialConsole(vmId, Buffer.from(text, 'utf8'));
    res.status(204).end();
  });

  return router;
}
