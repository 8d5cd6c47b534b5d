import type { Host, HostEvent, VmId } from '@hvm/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventFanOut, type EventStreamResponse } from './eventFanOut.js';

/** A host that only has listeners: the test emits its events. */
function eventSource() {
  const listeners = new Set<(event: HostEvent) => void>();
  const host = {
    subscribe: (listener: (event: HostEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Host;
  const emit = (event: HostEvent): void => {
    for (const listener of listeners) listener(event);
  };
  return { host, emit, listeners };
}

/** A stream's response: what was written to it, and how much its client left unread. */
function aStream(unread = 0) {
  const writes: string[] = [];
  const stream = {
    writableLength: unread,
    writableEnded: false,
    destroyed: false,
    write: (text: string) => writes.push(text) > 0,
    destroy: () => {
      stream.destroyed = true;
      return stream;
    },
  };
  return { stream: stream as unknown as EventStreamResponse, writes, state: stream };
}

const removed = (vmId: string): HostEvent => ({ type: 'vm-removed', vmId: vmId as VmId });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('live updates to many event streams', () => {
  it('the events of one turn reach each stream in one write, in their order', async () => {
    const { host, emit } = eventSource();
    const fanOut = new EventFanOut(host, { heartbeatMs: 60_000 });
    const streams = Array.from({ length: 100 }, () => aStream());
    for (const s of streams) fanOut.add(s.stream);
    emit(removed('A'));
    emit(removed('B'));
    await nextTurn();
    for (const s of streams) {
      expect(s.writes).toHaveLength(1);
      expect(s.writes[0]).toBe(
        'event: vm-removed\ndata: {"type":"vm-removed","vmId":"A"}\n\n' +
          'event: vm-removed\ndata: {"type":"vm-removed","vmId":"B"}\n\n',
      );
    }
  });

  it('holds one subscription to the host however many streams are open, none once all have closed', () => {
    const { host, listeners } = eventSource();
    const fanOut = new EventFanOut(host, { heartbeatMs: 60_000 });
    const removes = Array.from({ length: 10 }, () => fanOut.add(aStream().stream));
    expect(listeners.size).toBe(1);
    for (const remove of removes) remove();
    expect(listeners.size).toBe(0);
    expect(fanOut.size).toBe(0);
  });

  it('closes the stream of a client that stops reading (its queue is bounded) and keeps serving the others', async () => {
    const { host, emit } = eventSource();
    const fanOut = new EventFanOut(host, { heartbeatMs: 60_000, maxBufferedBytes: 4096 });
    const reading = aStream();
    const stuck = aStream(4097);
    fanOut.add(reading.stream);
    fanOut.add(stuck.stream);
    emit(removed('A'));
    await nextTurn();
    expect(stuck.state.destroyed).toBe(true);
    expect(stuck.writes).toEqual([]);
    expect(fanOut.size).toBe(1);
    expect(reading.writes).toHaveLength(1);
  });

  it('sends a burst larger than the bound at once instead of holding it', () => {
    const { host, emit } = eventSource();
    const fanOut = new EventFanOut(host, { heartbeatMs: 60_000, maxBufferedBytes: 100 });
    const s = aStream();
    fanOut.add(s.stream);
    emit(removed('A'.repeat(80)));
    expect(s.writes).toHaveLength(1);
  });

  it('one heartbeat timer for every stream, stopped with the last one', () => {
    vi.useFakeTimers();
    const { host } = eventSource();
    const fanOut = new EventFanOut(host, { heartbeatMs: 20 });
    const a = aStream();
    const b = aStream();
    const removeA = fanOut.add(a.stream);
    const removeB = fanOut.add(b.stream);
    vi.advanceTimersByTime(20);
    expect(a.writes).toEqual([': heartbeat\n\n']);
    expect(b.writes).toEqual([': heartbeat\n\n']);
    removeA();
    removeB();
    expect(vi.getTimerCount()).toBe(0);
  });
});
