/**
 * Inside the script worker: a `Host` whose every method is a call to the real host on the main
 * thread (protocol.ts). Synchronous methods post the call, wait on the shared flag with
 * `Atomics.wait`, and take the answer with `receiveMessageOnPort`; asynchronous ones await the
 * answer message.
 */
import type { MessagePort } from 'node:worker_threads';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { Host } from '@hvm/engine';
import type { RemoteOutcome } from '@hvm/powershell';
import type { CallOutcome, FromWorker, ToWorker } from './protocol.js';
import {
  Slot,
  deserializeError,
  synchronousHostMethods,
  unreachableHostMethods,
} from './protocol.js';

export class WorkerHostBridge {
  private nextCallId = 1;
  private readonly pendingCalls = new Map<number, (outcome: CallOutcome) => void>();
  private readonly listeners = new Map<number, (event: unknown) => void>();

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
    const callId = this.nextCallId++;
    Atomics.store(this.flags, Slot.syncAnswered, 0);
    this.post({ type: 'call', callId, method, args, sync: true });
    // The answer is posted before the flag is set; the timeout only re-checks the flag.
    while (Atomics.load(this.flags, Slot.syncAnswered) === 0)
      Atomics.wait(this.flags, Slot.syncAnswered, 0, 1000);
    const received = receiveMessageOnPort(this.syncAnswers) as
      { message: { callId: number; outcome: CallOutcome } } | undefined;
    if (received?.message.callId !== callId)
      throw new Error(`The host answer to ${method} did not arrive.`);
    const { outcome } = received.message;
    if (!outcome.ok) throw deserializeError(outcome.error);
    return outcome.value;
  }

  private callAsync(method: string, args: unknown[]): Promise<unknown> {
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
