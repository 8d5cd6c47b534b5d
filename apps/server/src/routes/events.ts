/**
 * `GET /events`: the host's events as Server-Sent Events. Each event is sent as
 * `event: <HostEvent.type>` + `data: <HostEvent JSON>`; a `: connected` comment opens the stream
 * and a `: heartbeat` comment every `heartbeatMs` keeps proxies from closing it.
 */
import { Router } from 'express';
import type { Response } from 'express';
import type { Host, HostEvent } from '@hvm/engine';
import { eventWithRules } from './rulesInBodies.js';

export const defaultHeartbeatMs = 15_000;

/** The text of each event, made once however many streams send it (events are not changed after emit). */
const formatted = new WeakMap<HostEvent, string>();

export function formatEvent(event: HostEvent): string {
  let text = formatted.get(event);
  if (text === undefined) {
    text = `event: ${event.type}\ndata: ${JSON.stringify(eventWithRules(event))}\n\n`;
    formatted.set(event, text);
  }
  return text;
}

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

export function eventRoutes(host: Host, heartbeatMs: number = defaultHeartbeatMs): Router {
  const router = Router();
  router.get('/events', (req, res) => {
    openStream(res);
    const unsubscribe = host.subscribe((event) => {
      if (!res.writableEnded) res.write(formatEvent(event));
    });
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': heartbeat\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.on('close', close);
    res.on('close', close);
  });
  return router;
}
