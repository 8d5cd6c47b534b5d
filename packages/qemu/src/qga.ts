/**
 * A client of the QEMU guest agent (qemu-ga, QEMU's `qga/qapi-schema.json`) on the host end of the
 * virtio-serial port `org.qemu.guest_agent.0`. The port is a byte stream that outlives the agent
 * (the guest may restart it, or never run one), so the client resynchronises with
 * `guest-sync-delimited` before its first command and after any timeout: it sends a 0xFF byte
 * (which resets the agent's parser), then the sync request with a random id, and discards
 * everything up to the 0xFF the agent puts before its answer and every answer that does not carry
 * the id. Commands run one at a time; the queue is bounded.
 */
import { randomInt } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { JsonLineSplitter, parseJsonObject } from './jsonLines.js';

/** The agent answered with an error (`errorClass` as qemu-ga names it). */
export class QgaError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    description: string,
  ) {
    super(`guest agent ${command}: ${description}`);
    this.name = 'QgaError';
  }
}

/** No answer in time: no agent runs in the guest, or it stopped answering. */
export class QgaNotAnsweringError extends Error {
  constructor(command: string, timeoutMs: number) {
    super(`the guest agent did not answer ${command} within ${timeoutMs} ms`);
    this.name = 'QgaNotAnsweringError';
  }
}

export interface QgaOptions {
  /** Time to wait for the agent's answer (default 5 s). */
  timeoutMs?: number;
  /** Commands queued at once; more are refused (default 8). */
  maxQueued?: number;
  /** The longest answer accepted (default 1 MiB). */
  maxMessageBytes?: number;
}

type Reader = (message: Record<string, unknown>) => void;

export class QgaClient {
  private readonly splitter: JsonLineSplitter;
  private discardingUntilDelimiter = false;
  private reader: Reader | undefined;
  private abandon: ((error: Error) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private synced = false;
  private closedReason: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;

  constructor(
    private readonly port: Duplex,
    options: QgaOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxQueued = options.maxQueued ?? 8;
    this.splitter = new JsonLineSplitter(options.maxMessageBytes ?? 1024 * 1024);
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('error', (error: Error) => this.end(error.message));
    port.on('close', () => this.end('the port closed'));
  }

  private end(reason: string): void {
    this.closedReason ??= reason;
    this.abandon?.(new Error(`the guest agent port is closed: ${this.closedReason}`));
  }

  /**
   * A 0xFF byte (never part of UTF-8 JSON) is the delimiter the agent writes before its answer to
   * a sync: whatever came before it is over, and parsing starts again after it, whether or not a
   * sync of this client waits for it. A guest restored from a saved state may hand over an answer
   * its agent wrote before the save, delimiter and all, ahead of the answer to this client's own
   * sync; were only the first delimiter honoured, the second would spoil that answer's line and
   * the sync would time out (the heartbeat lost, Shut Down and Production checkpoints refused).
   */
  private receive(chunk: Buffer): void {
    let data = chunk;
    const delimiter = data.lastIndexOf(0xff);
    if (delimiter >= 0) {
      this.discardingUntilDelimiter = false;
      this.splitter.reset();
      data = data.subarray(delimiter + 1);
    } else if (this.discardingUntilDelimiter) return;
    let lines: string[];
    try {
      lines = this.splitter.push(data);
    } catch {
      // An answer beyond the bound: drop it and resynchronise before the next command.
      this.splitter.reset();
      this.synced = false;
      return;
    }
    for (const line of lines) {
      const message = parseJsonObject(line);
      if (message !== undefined) this.reader?.(message);
    }
  }

  private answer(
    command: string,
    accept: (m: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.reader = undefined;
        this.abandon = undefined;
      };
      const timer = setTimeout(() => {
        settle();
        this.synced = false;
        reject(new QgaNotAnsweringError(command, timeoutMs));
      }, timeoutMs);
      this.reader = (message) => {
        if (!accept(message)) return;
        settle();
        resolve(message);
      };
      this.abandon = (error) => {
        settle();
        reject(error);
      };
    });
  }

  private send(message: object): void {
    // A command queued behind one that found the port closed fails the same way.
    if (this.closedReason !== undefined)
      throw new Error(`the guest agent port is closed: ${this.closedReason}`);
    this.port.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * Sends with an answer pending: a send that throws (the port closed) ends the wait for that
   * answer at once, so it is never left to fail later with nobody awaiting it.
   */
  private sendAwaiting(answered: Promise<unknown>, send: () => void): void {
    answered.catch(() => undefined);
    try {
      send();
    } catch (error) {
      this.abandon?.(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private async sync(timeoutMs: number): Promise<void> {
    const id = randomInt(1, 2 ** 31);
    this.discardingUntilDelimiter = true;
    const answered = this.answer('guest-sync-delimited', (m) => m.return === id, timeoutMs);
    this.sendAwaiting(answered, () => {
      this.port.write(Buffer.from([0xff]));
      this.send({ execute: 'guest-sync-delimited', arguments: { id } });
    });
    await answered;
    this.synced = true;
  }

  private inTurn<T>(command: string, work: () => Promise<T>): Promise<T> {
    if (this.queued >= this.maxQueued)
      return Promise.reject(
        new Error(`guest agent ${command}: ${this.maxQueued} commands are already queued`),
      );
    this.queued += 1;
    const next = this.queue.then(work).finally(() => {
      this.queued -= 1;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `command` and resolves with the agent's `return` value. */
  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.inTurn(command, async () => {
      if (!this.synced) await this.sync(timeoutMs);
      const answered = this.answer(command, (m) => 'return' in m || 'error' in m, timeoutMs);
      this.sendAwaiting(answered, () =>
        this.send(
          args === undefined ? { execute: command } : { execute: command, arguments: args },
        ),
      );
      const message = await answered;
      if ('error' in message) {
        const error = message.error as { class?: string; desc?: string };
        throw new QgaError(command, error.class ?? 'GenericError', error.desc ?? 'failed');
      }
      return message.return as T;
    });
  }

  /**
   * Sends a command the agent does not answer when it succeeds (`guest-shutdown`): resolves once
   * the agent is known to listen (the sync answered) and the command is sent.
   */
  executeWithoutAnswer(command: string, args?: Record<string, unknown>): Promise<void> {
    return this.inTurn(command, async () => {
      await this.sync(this.timeoutMs);
      this.send(args === undefined ? { execute: command } : { execute: command, arguments: args });
    });
  }

  /** Heartbeat: whether the agent answers `guest-ping` in time. */
  async ping(timeoutMs = this.timeoutMs): Promise<boolean> {
    try {
      await this.execute('guest-ping', undefined, { timeoutMs });
      return true;
    } catch (error) {
      if (error instanceof QgaNotAnsweringError) return false;
      throw error;
    }
  }

  close(): void {
    this.end('closed');
    this.port.destroy();
  }
}
