/**
 * `GET /events`: the host's events as Server-Sent Events. Each event is sent as
 * `event: <HostEvent.type>` + `data: <HostEvent JSON>`; a `: connected` comment opens the stream
 * and a `: heartbeat` comment every `heartbeatMs` keeps proxies from closing it. The streams of
 * one view share one subscription and get each turn's events in one write (eventFanOut.ts).
 */
import { Router } from 'express';
import type { Response } from 'express';
import type { Host } from '@hvm/engine';
import { EventFanOut, formatEvent } from './eventFanOut.js';

export const defaultHeartbeatMs = 15_000;

export { formatEvent };

export function openStream(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  res.write('retry: 3000\n: connected\n\n');
}

export function eventRoutes(
  host: Host,
  heartbeatMs: number = defaultHeartbeatMs,
  maxBufferedBytes?: number,
): Router {
  const router = Router();
  const streams = new EventFanOut(host, {
    heartbeatMs,
    ...(maxBufferedBytes === undefined ? {} : { maxBufferedBytes }),
  });
  router.get('/events', (req, res) => {
    openStream(res);
    const remove = streams.add(res);
    req.on('close', remove);
    res.on('close', remove);
  });
  return router;
}
