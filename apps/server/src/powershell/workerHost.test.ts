// The worker's side of the host (workerHost.ts) reads the next window ahead while the current one is
// used. These tests stand in for the main thread: each question is answered at once, so a window
// asked ahead always holds the host as it was before anything the script did after asking it.
import { MessageChannel } from 'node:worker_threads';
import { hostReadAheadKey } from '@hvm/powershell';
import type { HostRead, HostReadAhead } from '@hvm/powershell';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome, FromWorker } from './protocol.js';
import { Slot, sharedSlots } from './protocol.js';
import { WorkerHostBridge } from './workerHost.js';

/** A host of a few VMs, each with a checkpoint count, answered as the main thread would. */
function mainThread(names: readonly string[]) {
  const checkpoints = new Map(names.map((name) => [name, 0]));
  const flags = new Int32Array(new SharedArrayBuffer(sharedSlots * 4));
  const { port1, port2 } = new MessageChannel();
  const asked: FromWorker[] = [];
  const read = (method: string, args: unknown[]): CallOutcome => {
    const name = String(args[0]);
    const count = checkpoints.get(name);
    if (method !== 'getVmSummary' || count === undefined)
      return { ok: false, error: { kind: 'error', name: 'Error', message: `no ${name}` } };
    return { ok: true, value: { name, checkpointCount: count } };
  };
  const answerSync = (answer: unknown): void => {
    port2.postMessage(answer);
    Atomics.add(flags, Slot.syncAnswers, 1);
    Atomics.notify(flags, Slot.syncAnswers);
  };
  const bridge: WorkerHostBridge = new WorkerHostBridge(flags, port1, (message) => {
    asked.push(message);
    if (message.type === 'reads')
      answerSync({
        callId: message.callId,
        outcomes: message.reads.map(({ method, args }) => read(method, args)),
      });
    else if (message.type === 'call' && message.sync)
      answerSync({ callId: message.callId, outcome: read(message.method, message.args) });
    else if (message.type === 'call') {
      // An asynchronous call: it changes the host (one more checkpoint of the VM named).
      const name = String(message.args[0]);
      checkpoints.set(name, (checkpoints.get(name) ?? 0) + 1);
      queueMicrotask(() =>
        bridge.receive({
          type: 'answer',
          callId: message.callId,
          outcome: { ok: true, value: null },
        }),
      );
    }
  });
  const host = bridge.host;
  const readAhead = (host as unknown as Partial<Record<symbol, HostReadAhead>>)[hostReadAheadKey];
  if (readAhead === undefined) throw new Error('The worker host reads ahead.');
  return {
    readAhead: (reads: HostRead[], next: HostRead[] = []): void => readAhead(reads, next),
    checkpointCount: (name: string): number =>
      (host.getVmSummary(name as never) as unknown as { checkpointCount: number }).checkpointCount,
    createCheckpoint: (name: string): Promise<unknown> =>
      host.createCheckpoint(name as never, { name: 'Later' }),
    readsAsked: (): number => asked.filter((m) => m.type === 'reads').length,
    callsAsked: (): number => asked.filter((m) => m.type === 'call' && m.sync).length,
    close: (): void => {
      port1.close();
      port2.close();
    },
  };
}

const summaries = (...names: string[]): HostRead[] =>
  names.map((name) => ({ method: 'getVmSummary', args: [name] }));

describe('reading the next window ahead in the script worker', () => {
  let main: ReturnType<typeof mainThread> | null = null;
  afterEach(() => main?.close());

  it('asks for the next window while this one is used, and takes it without asking again', () => {
    main = mainThread(['A', 'B', 'C', 'D']);
    main.readAhead(summaries('A', 'B'), summaries('C', 'D'));
    expect(main.readsAsked()).toBe(2);
    expect([main.checkpointCount('A'), main.checkpointCount('B')]).toEqual([0, 0]);
    main.readAhead(summaries('C', 'D'));
    expect([main.checkpointCount('C'), main.checkpointCount('D')]).toEqual([0, 0]);
    // One message for each window, none for a call.
    expect(main.readsAsked()).toBe(2);
    expect(main.callsAsked()).toBe(0);
  });

  it('a script that reads, changes a VM and reads again sees the change, not the window read before it', async () => {
    main = mainThread(['A', 'B', 'C', 'D']);
    main.readAhead(summaries('A', 'B'), summaries('C', 'D'));
    expect(main.checkpointCount('A')).toBe(0);
    // The window ahead (C, D) was answered before this change.
    await main.createCheckpoint('C');
    main.readAhead(summaries('C', 'D'));
    expect(main.checkpointCount('C')).toBe(1);
    expect(main.readsAsked()).toBe(3);
  });

  it('drops the window ahead at a call it did not read ahead', () => {
    main = mainThread(['A', 'B', 'C', 'D', 'E']);
    main.readAhead(summaries('A'), summaries('C'));
    expect(main.checkpointCount('E')).toBe(0);
    main.readAhead(summaries('C'));
    expect(main.checkpointCount('C')).toBe(0);
    expect(main.readsAsked()).toBe(3);
    expect(main.callsAsked()).toBe(1);
  });

  it('uses a window ahead only for exactly the reads it holds', () => {
    main = mainThread(['A', 'B', 'C', 'D']);
    main.readAhead(summaries('A'), summaries('B', 'C'));
    main.readAhead(summaries('B', 'D'));
    expect([main.checkpointCount('B'), main.checkpointCount('D')]).toEqual([0, 0]);
    // B, D was asked anew; the answer for B, C was passed over.
    expect(main.readsAsked()).toBe(3);
    expect(main.callsAsked()).toBe(0);
  });

  it('keeps at most one window ahead, and an empty read-ahead drops it', () => {
    main = mainThread(['A', 'B', 'C']);
    main.readAhead(summaries('A'), summaries('B'));
    main.readAhead(summaries('B'), summaries('C'));
    expect(main.readsAsked()).toBe(3);
    main.readAhead([]);
    main.readAhead(summaries('C'));
    expect(main.readsAsked()).toBe(4);
    expect(main.checkpointCount('C')).toBe(0);
  });
});
