/**
 * Live updates to every open event stream of one view of the host. However many streams are
 * open, the view holds one subscription to the host; the events of one turn of the event loop
 * (a Start emits its task, the VM's new state and the event log's entry together) are formatted
 * once and reach each stream in one write, and one timer sends every stream its heartbeat.
 *
 * Each stream's queue is bounded: a client that stops reading (more than `maxBufferedBytes`
 * waiting in its socket's buffer) has its stream closed rather than kept in memory without end.
 * The browser's EventSource reconnects by itself and reads everything again on opening
 * (apps/web api/events.ts), so nothing is lost but the bytes it did not read.
 */
import type { Response } from 'express';
import type { Host, HostEvent } from '@hvm/engine';
import { eventWithRules } from './rulesInBodies.js';

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

/** What may wait in one stream's socket buffer before the stream is closed; default 1 MiB. */
export const DEFAULT_EVENT_STREAM_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface EventFanOutOptions {
  heartbeatMs: number;
  maxBufferedBytes?: number;
}

/** The part of an Express response a stream needs (tests hand in their own). */
export type EventStreamResponse = Pick<
  Response,
  'write' | 'writableLength' | 'writableEnded' | 'destroyed' | 'destroy'
>;

export class EventFanOut {
  private readonly streams = new Set<EventStreamResponse>();
  private unsubscribe: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly host: Host,
    private readonly options: EventFanOutOptions,
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_EVENT_STREAM_MAX_BUFFERED_BYTES;
  }

  /** Open streams (for tests and diagnostics). */
  get size(): number {
    return this.streams.size;
  }

  /** Adds a stream whose headers are sent; returns what removes it (idempotent). */
  add(stream: EventStreamResponse): () => void {
    this.streams.add(stream);
    this.unsubscribe ??= this.host.subscribe(this.onEvent);
    if (this.heartbeat === null) {
      this.heartbeat = setInterval(
        () => this.sendToAll(': heartbeat\n\n'),
        this.options.heartbeatMs,
      );
      this.heartbeat.unref();
    }
    return () => this.remove(stream);
  }

  private remove(stream: EventStreamResponse): void {
    if (!this.streams.delete(stream) || this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private readonly onEvent = (event: HostEvent): void => {
    const text = formatEvent(event);
    this.pending.push(text);
    this.pendingBytes += text.length;
    // A burst larger than one stream may hold goes out at once rather than waiting in memory.
    if (this.pendingBytes > this.maxBufferedBytes) {
      this.flush();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  };

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? (this.pending[0] ?? '') : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.sendToAll(text);
  };

  private sendToAll(text: string): void {
    for (const stream of this.streams) {
      if (stream.writableEnded || stream.destroyed) continue;
      if (stream.writableLength > this.maxBufferedBytes) {
        // Its client is not reading: the stream ends here and the client reconnects.
        stream.destroy();
        this.remove(stream);
        continue;
      }
      stream.write(text);
    }
  }
}
