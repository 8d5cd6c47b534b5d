/**
 * Inside the script worker: a `Host` whose every method is a call to the real host on the main
 * thread (protocol.ts). Synchronous methods post the call, wait on the shared flag with
 * `Atomics.wait`, and take the answer with `receiveMessageOnPort`; asynchronous ones await the
 * answer message. Reads a cmdlet asks ahead (`@hvm/powershell`'s hostReadAhead) cross in one
 * message; the synchronous calls that follow take their answers, each once, until the next
 * read-ahead or the script's next call that may change the host (any asynchronous one).
 */
import type { MessagePort } from 'node:worker_threads';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { Host } from '@hvm/engine';
import { hostReadAheadKey } from '@hvm/powershell';
import type { HostRead, RemoteOutcome } from '@hvm/powershell';
import type { CallOutcome, FromWorker, ReadsAnswer, ToWorker } from './protocol.js';
import {
  MAX_READS_AHEAD,
  Slot,
  deserializeError,
  synchronousHostMethods,
  unreachableHostMethods,
} from './protocol.js';

/** A synchronous call's key among the answers read ahead: its method and its arguments. */
const readKey = (method: string, args: readonly unknown[]): string =>
  `${method}\u0000${JSON.stringify(args)}`;

const settled = (outcome: CallOutcome): unknown => {
  if (!outcome.ok) throw deserializeError(outcome.error);
  return outcome.value;
};

export class WorkerHostBridge {
  private nextCallId = 1;
  private readonly pendingCalls = new Map<number, (outcome: CallOutcome) => void>();
  private readonly listeners = new Map<number, (event: unknown) => void>();
  /** Answers read ahead and not yet taken, by readKey, oldest first. */
  private readonly readsAhead = new Map<string, CallOutcome[]>();

  constructor(
    private readonly flags: Int32Array,
    private readonly syncAnswers: MessagePort,
    private readonly post: (message: FromWorker) => void,
  ) {}

  /** Handles the server's answers to asynchronous calls and the host's events. */
  receive(message: ToWorker): boolean {
    if (message.type === 'answer') {
      const settle = this.pendingCalls.get(message.callId);
      this.pendingCalls.delete(message.callId);
      settle?.(message.outcome);
      return true;
    }
    if (message.type === 'event') {
      this.listeners.get(message.subscriptionId)?.(message.event);
      return true;
    }
    return false;
  }

  readonly host: Host = new Proxy({} as Host, {
    get: (_target, property) => {
      if (property === hostReadAheadKey)
        return (reads: readonly HostRead[]) => this.readAhead(reads);
      if (typeof property !== 'string' || property === 'then') return undefined;
      if (unreachableHostMethods.has(property))
        return () => {
          throw new Error(`Host.${property} is not available to scripts.`);
        };
      if (property === 'subscribe')
        return (listener: (event: unknown) => void) => this.subscribe(listener);
      if (synchronousHostMethods.has(property))
        return (...args: unknown[]) => this.callSync(property, args);
      return (...args: unknown[]) => this.callAsync(property, args);
    },
  });

  private callSync(method: string, args: unknown[]): unknown {
    const key = readKey(method, args);
    const ahead = this.readsAhead.get(key);
    const outcome = ahead?.shift();
    if (ahead?.length === 0) this.readsAhead.delete(key);
    if (outcome !== undefined) return settled(outcome);
    const callId = this.nextCallId++;
    Atomics.store(this.flags, Slot.syncAnswered, 0);
    this.post({ type: 'call', callId, method, args, sync: true });
    return settled(
      this.waitForAnswer<{ callId: number; outcome: CallOutcome }>(callId, method).outcome,
    );
  }

  /** Asks the main thread for `reads` in one message; what was read ahead before is dropped. */
  private readAhead(reads: readonly HostRead[]): void {
    this.readsAhead.clear();
    const wanted = reads
      .filter((read) => synchronousHostMethods.has(read.method))
      .slice(0, MAX_READS_AHEAD);
    if (wanted.length === 0) return;
    const callId = this.nextCallId++;
    Atomics.store(this.flags, Slot.syncAnswered, 0);
    this.post({
      type: 'reads',
      callId,
      reads: wanted.map(({ method, args }) => ({ method, args: [...args] })),
    });
    const { outcomes } = this.waitForAnswer<ReadsAnswer>(callId, 'the reads ahead');
    outcomes.forEach((outcome, index) => {
      const read = wanted[index];
      if (read === undefined) return;
      const key = readKey(read.method, read.args);
      const queue = this.readsAhead.get(key);
      if (queue === undefined) this.readsAhead.set(key, [outcome]);
      else queue.push(outcome);
    });
  }

  /**
   * Blocks until the main thread posted the answer of `callId` on the synchronous port (the flag
   * was cleared before the question was posted).
   */
  private waitForAnswer<T extends { callId: number }>(callId: number, what: string): T {
    // The answer is posted before the flag is set; the timeout only re-checks the flag.
    while (Atomics.load(this.flags, Slot.syncAnswered) === 0)
      Atomics.wait(this.flags, Slot.syncAnswered, 0, 1000);
    const received = receiveMessageOnPort(this.syncAnswers) as { message: T } | undefined;
    if (received?.message.callId !== callId)
      throw new Error(`The host answer to ${what} did not arrive.`);
    return received.message;
  }

  private callAsync(method: string, args: unknown[]): Promise<unknown> {
    // It may change the host: what was read ahead is no longer the host as it is.
    this.readsAhead.clear();
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pendingCalls.set(callId, (outcome) => {
        if (outcome.ok) resolve(outcome.value);
        else reject(deserializeError(outcome.error));
      });
      this.post({ type: 'call', callId, method, args, sync: false });
    });
  }

  /** Runs one command on another server, through the server's connection of the run's user. */
  remote(computerName: string, script: string): Promise<RemoteOutcome> {
    this.readsAhead.clear();
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pendingCalls.set(callId, (outcome) => {
        if (outcome.ok) resolve(outcome.value as RemoteOutcome);
        else reject(deserializeError(outcome.error));
      });
      this.post({ type: 'remote', callId, computerName, script });
    });
  }

  private subscribe(listener: (event: unknown) => void): () => void {
    const subscriptionId = this.nextCallId++;
    this.listeners.set(subscriptionId, listener);
    this.post({ type: 'subscribe', subscriptionId });
    return () => {
      this.listeners.delete(subscriptionId);
      this.post({ type: 'unsubscribe', subscriptionId });
    };
  }
}
