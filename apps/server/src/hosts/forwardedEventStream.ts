/**
 * An event stream of another server (its host events, a VM's serial console) passed on to the
 * browser by the gateway, one whole event at a time.
 *
 * - **Bounded per viewer.** A viewer whose connection does not take the events as fast as they
 *   come (more than `maxBufferedBytes` waiting in its socket) is dropped, and the stream from the
 *   other server with it, as the other server drops a slow viewer of its own
 *   (routes/serialConsole.ts): its browser connects again and starts from the backlog. An event
 *   is held only until its end arrives, at most `MAX_EVENT_BYTES`.
 * - **A server that goes away ends the stream and says so.** When the other server's stream
 *   breaks off (the server stopped, the network went), the viewer gets `event: host-unreachable`
 *   with Hyper-V Manager's message for a server it cannot reach (`data: { code, message }`) and
 *   the end of the stream; the gateway's monitor tries the server again at once. Events are
 *   passed on whole so that this one never lands in the middle of another.
 */
import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';

/** The longest event passed on: a serial console's backlog (64 KiB) in base64, with room. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** What may wait in the socket of a viewer of a forwarded host event stream before it is dropped. */
export const FORWARDED_EVENT_STREAM_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const END_OF_EVENT = Buffer.from('\n\n');

export interface ForwardedEventStream {
  /** The other server's answer, a `text/event-stream`. */
  upstream: IncomingMessage;
  /** The viewer's answer, its headers sent. */
  viewer: Response;
  maxBufferedBytes: number;
  /** The error to tell the viewer when the other server's stream breaks off. */
  unreachable: { code: string; message: string };
  /** Called when the other server's stream breaks off (not when the viewer leaves). */
  onLost(): void;
}

export function relayEventStream(stream: ForwardedEventStream): void {
  const { upstream, viewer } = stream;
  let pending: Buffer = Buffer.alloc(0);
  let finished = false;
  const drop = (): void => {
    finished = true;
    upstream.destroy();
    viewer.destroy();
  };
  upstream.on('data', (chunk: Buffer) => {
    if (finished) return;
    const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const end = data.lastIndexOf(END_OF_EVENT);
    const whole = end < 0 ? 0 : end + END_OF_EVENT.length;
    pending = data.subarray(whole);
    if (pending.length > MAX_EVENT_BYTES) {
      drop();
      return;
    }
    if (whole === 0) return;
    if (viewer.writableLength > stream.maxBufferedBytes) {
      // Too slow: dropped, so what the gateway holds for this viewer stays bounded.
      drop();
      return;
    }
    viewer.write(data.subarray(0, whole));
  });
  upstream.once('end', () => {
    if (finished) return;
    finished = true;
    viewer.end();
  });
  // A stream that closes without its end broke off: the server went away.
  upstream.once('close', () => {
    if (finished) return;
    finished = true;
    stream.onLost();
    if (viewer.destroyed || viewer.writableEnded) return;
    viewer.end(`event: host-unreachable\ndata: ${JSON.stringify(stream.unreachable)}\n\n`);
  });
  upstream.on('error', () => undefined);
  viewer.once('close', () => {
    if (finished) return;
    finished = true;
    upstream.destroy();
  });
}
