/**
 * Inside the script worker: a `Host` whose every method is a call to the real host on the main
 * thread (protocol.ts). Synchronous methods post the call, wait on the shared flag with
 * `Atomics.wait`, and take the answer with `receiveMessageOnPort`; asynchronous ones await the
 * answer message. Reads a cmdlet asks ahead (`@hvm/powershell`'s hostReadAhead) cross in one
 * message; the synchronous calls that follow take their answers, each once, until the next
 * read-ahead or the script's next call that may change the host (any asynchronous one).
 *
 * The window after the one in use is asked for at once and not waited for: the main thread reads
 * it while the worker uses this one. At most that one window is ahead. It is used only if it holds
 * exactly the reads the next window asks; a call that may change the host, or a synchronous call
 * that was not read ahead, drops it (its answer, when it comes, is passed over).
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

/** The window asked ahead: its reads (by readKey) and, once the main thread answered, its outcomes. */
interface WindowAhead {
  callId: number;
  keys: string[];
  outcomes: CallOutcome[] | null;
}

const sameKeys = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((key, index) => key === b[index]);

const settled = (outcome: CallOutcome): unknown => {
  if (!outcome.ok) throw deserializeError(outcome.error);
  return outcome.value;
};

/** The reads the main thread answers ahead: synchronous methods only, at most MAX_READS_AHEAD. */
const readable = (reads: readonly HostRead[]): readonly HostRead[] =>
  reads.filter((read) => synchronousHostMethods.has(read.method)).slice(0, MAX_READS_AHEAD);

export class WorkerHostBridge {
  private nextCallId = 1;
  private readonly pendingCalls = new Map<number, (outcome: CallOutcome) => void>();
  private readonly listeners = new Map<number, (event: unknown) => void>();
  /** Answers read ahead and not yet taken, by readKey, oldest first. */
  private readonly readsAhead = new Map<string, CallOutcome[]>();
  /** The next window, asked and maybe not yet answered (null: none ahead). */
  private windowAhead: WindowAhead | null = null;

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
        return (reads: readonly HostRead[], next: readonly HostRead[] = []) =>
          this.readAhead(reads, next);
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
    // Not read ahead: the window ahead is dropped, whatever this call is.
    this.windowAhead = null;
    const callId = this.nextCallId++;
    this.post({ type: 'call', callId, method, args, sync: true });
    return settled(
      this.waitForAnswer<{ callId: number; outcome: CallOutcome }>(callId, method).outcome,
    );
  }

  /**
   * Takes the answers to `reads`: the window asked ahead if it holds exactly these reads, else
   * asked now in one message and waited for. Then asks for `next` without waiting. What was read
   * ahead before is dropped; an empty `reads` drops all.
   */
  private readAhead(reads: readonly HostRead[], next: readonly HostRead[]): void {
    this.readsAhead.clear();
    const ahead = this.windowAhead;
    this.windowAhead = null;
    const wanted = readable(reads);
    if (wanted.length === 0) return;
    const keys = wanted.map((read) => readKey(read.method, read.args));
    const outcomes =
      ahead !== null && sameKeys(ahead.keys, keys)
        ? (ahead.outcomes ??
          this.waitForAnswer<ReadsAnswer>(ahead.callId, 'the reads ahead').outcomes)
        : this.waitForAnswer<ReadsAnswer>(this.askReads(wanted), 'the reads ahead').outcomes;
    outcomes.forEach((outcome, index) => {
      const key = keys[index];
      if (key === undefined) return;
      const queue = this.readsAhead.get(key);
      if (queue === undefined) this.readsAhead.set(key, [outcome]);
      else queue.push(outcome);
    });
    const following = readable(next);
    if (following.length > 0)
      this.windowAhead = {
        callId: this.askReads(following),
        keys: following.map((read) => readKey(read.method, read.args)),
        outcomes: null,
      };
  }

  /** Posts `reads` to the main thread; the answer comes on the synchronous port. */
  private askReads(reads: readonly HostRead[]): number {
    const callId = this.nextCallId++;
    this.post({
      type: 'reads',
      callId,
      reads: reads.map(({ method, args }) => ({ method, args: [...args] })),
    });
    return callId;
  }

  /**
   * Blocks until the main thread posted the answer of `callId` on the synchronous port. The
   * answer of the window ahead, arriving first, is kept; that of a window dropped is passed over.
   */
  private waitForAnswer<T extends { callId: number }>(callId: number, what: string): T {
    for (;;) {
      // The answer is posted before the count goes up: read the count first, then the port.
      const answersSeen = Atomics.load(this.flags, Slot.syncAnswers);
      for (
        let received = receiveMessageOnPort(this.syncAnswers) as { message: T } | undefined;
        received !== undefined;
        received = receiveMessageOnPort(this.syncAnswers) as { message: T } | undefined
      ) {
        const answer = received.message;
        if (answer.callId === callId) return answer;
        const ahead = this.windowAhead;
        if (ahead !== null && answer.callId === ahead.callId)
          ahead.outcomes = (answer as unknown as ReadsAnswer).outcomes;
        else if (answer.callId > callId)
          throw new Error(`The host answer to ${what} did not arrive.`);
      }
      // The timeout only re-checks the port.
      Atomics.wait(this.flags, Slot.syncAnswers, answersSeen, 1000);
    }
  }

  /** What was read ahead, and the window ahead, are no longer the host as it is. */
  private dropReadsAhead(): void {
    this.readsAhead.clear();
    this.windowAhead = null;
  }

  private callAsync(method: string, args: unknown[]): Promise<unknown> {
    // It may change the host.
    this.dropReadsAhead();
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
    this.dropReadsAhead();
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
