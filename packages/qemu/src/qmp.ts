/**
 * A client of the QEMU Machine Protocol (QEMU's `docs/interop/qmp-spec`): it reads the greeting,
 * negotiates capabilities (`qmp_capabilities`), sends commands tagged with ids and matches their
 * replies, and hands asynchronous events to listeners. Everything is bounded: commands in flight,
 * remembered events, event waiters and the length of a message.
 */
import type { Socket } from 'node:net';
import { JsonLineSplitter, parseJsonObject } from './jsonLines.js';

export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
}

/** QEMU refused a command: `errorClass` is QMP's error class (e.g. `GenericError`). */
export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    description: string,
  ) {
    super(`QMP ${command}: ${description}`);
    this.name = 'QmpError';
  }
}

export class QmpTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`QMP ${what} had no answer within ${timeoutMs} ms`);
    this.name = 'QmpTimeoutError';
  }
}

export class QmpClosedError extends Error {
  constructor(reason: string) {
    super(`the QMP connection is closed: ${reason}`);
    this.name = 'QmpClosedError';
  }
}

export interface QmpOptions {
  /** Time to wait for a reply unless a command says otherwise (default 10 s). */
  commandTimeoutMs?: number;
  /** Commands waiting for their reply at once; more are refused (default 16). */
  maxInFlight?: number;
  /** Recent events kept for `recentEvents` (default 64); older ones are dropped. */
  maxRememberedEvents?: number;
  /** Callers waiting for an event at once (default 16). */
  maxEventWaiters?: number;
  /** The longest message accepted (default 4 MiB). */
  maxMessageBytes?: number;
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  matches(event: QmpEvent): boolean;
  resolve(event: QmpEvent): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class QmpClient {
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(event: QmpEvent) => void>();
  private readonly remembered: QmpEvent[] = [];
  private nextId = 1;
  private closedReason: string | undefined;
  private greeting: ((value: Record<string, unknown>) => void) | undefined;
  private readonly options: Required<QmpOptions>;
  /** QEMU's version from the greeting, e.g. `{ major: 7, minor: 2, micro: 22 }`. */
  version: { major: number; minor: number; micro: number } | undefined;
  /** Resolves when the connection ends, for whatever reason. */
  readonly closed: Promise<string>;

  private constructor(
    private readonly socket: Socket,
    options: QmpOptions,
  ) {
    this.options = {
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      maxInFlight: options.maxInFlight ?? 16,
      maxRememberedEvents: options.maxRememberedEvents ?? 64,
      maxEventWaiters: options.maxEventWaiters ?? 16,
      maxMessageBytes: options.maxMessageBytes ?? 4 * 1024 * 1024,
    };
    const splitter = new JsonLineSplitter(this.options.maxMessageBytes);
    let markClosed: (reason: string) => void = () => undefined;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    const end = (reason: string): void => {
      if (this.closedReason !== undefined) return;
      this.closedReason = reason;
      const error = new QmpClosedError(reason);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      this.pending.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      this.waiters.clear();
      socket.destroy();
      markClosed(reason);
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of splitter.push(chunk)) this.receive(line);
      } catch (error) {
        end(error instanceof Error ? error.message : String(error));
      }
    });
    socket.on('error', (error) => end(error.message));
    socket.on('close', () => end('QEMU closed it'));
  }

  /**
   * Takes a connected socket to QEMU's QMP monitor, waits for the greeting and leaves capability
   * negotiation mode. Rejects when either does not arrive within `commandTimeoutMs`.
   */
  static async negotiate(socket: Socket, options: QmpOptions = {}): Promise<QmpClient> {
    const client = new QmpClient(socket, options);
    const timeoutMs = client.options.commandTimeoutMs;
    const greeting = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new QmpTimeoutError('greeting', timeoutMs));
      }, timeoutMs);
      client.greeting = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      void client.closed.then((reason) => {
        clearTimeout(timer);
        reject(new QmpClosedError(reason));
      });
    }).catch((error: unknown) => {
      client.close();
      throw error;
    });
    const qemu = (greeting.version as { qemu?: QmpClient['version'] } | undefined)?.qemu;
    client.version = qemu;
    await client.execute('qmp_capabilities');
    return client;
  }

  private receive(line: string): void {
    const message = parseJsonObject(line);
    if (message === undefined) return;
    if ('QMP' in message) {
      this.greeting?.(message.QMP as Record<string, unknown>);
      this.greeting = undefined;
      return;
    }
    if (typeof message.event === 'string') {
      const event: QmpEvent = {
        event: message.event,
        data: (message.data as Record<string, unknown> | undefined) ?? {},
      };
      this.remembered.push(event);
      if (this.remembered.length > this.options.maxRememberedEvents) this.remembered.shift();
      for (const waiter of [...this.waiters]) {
        if (!waiter.matches(event)) continue;
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(event);
      }
      for (const listener of this.listeners) listener(event);
      return;
    }
    const id = typeof message.id === 'number' ? message.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || pending === undefined) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if ('error' in message) {
      const error = message.error as { class?: string; desc?: string };
      pending.reject(
        new QmpError(pending.command, error.class ?? 'GenericError', error.desc ?? 'failed'),
      );
    } else pending.resolve(message.return);
  }

  /** Sends `command` and resolves with its `return` value; rejects with QEMU's error. */
  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    if (this.closedReason !== undefined)
      return Promise.reject(new QmpClosedError(this.closedReason));
    if (this.pending.size >= this.options.maxInFlight)
      return Promise.reject(
        new Error(`QMP ${command}: ${this.options.maxInFlight} commands are already waiting`),
      );
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpTimeoutError(command, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { command, resolve, reject, timer });
      const message =
        args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
      this.socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Calls `listener` with every event from now on; returns the function that stops it. */
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the next event named `name` (and matching `predicate`). Start waiting before
   * the command that causes the event, or the event may pass unseen.
   */
  waitForEvent(
    name: string,
    timeoutMs: number,
    predicate: (data: Record<string, unknown>) => boolean = () => true,
  ): Promise<QmpEvent> {
    if (this.closedReason !== undefined)
      return Promise.reject(new QmpClosedError(this.closedReason));
    if (this.waiters.size >= this.options.maxEventWaiters)
      return Promise.reject(
        new Error(`${this.options.maxEventWaiters} callers already wait for events`),
      );
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches: (event) => event.event === name && predicate(event.data),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new QmpTimeoutError(`event ${name}`, timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** The most recent events, oldest first (at most `maxRememberedEvents`). */
  recentEvents(): readonly QmpEvent[] {
    return [...this.remembered];
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  close(): void {
    this.socket.destroy();
  }
}
