import { createConnection, type Socket } from 'node:net';

/**
 * A Unix-socket client for QEMU's line-delimited JSON protocols (QMP, per the QEMU Machine Protocol
 * Specification, https://qemu.org/docs/master/interop/qmp-spec.html, and the guest agent): one
 * command at a time, answers matched in order; QMP events are set aside.
 */
export class JsonLineSocket {
  private buffer = Buffer.alloc(0);
  private readonly lines: unknown[] = [];
  private waiter: ((value: unknown) => void) | undefined;
  private failure: Error | undefined;
  /** Until a 0xFF byte arrives, everything before it is dropped (the agent's sync). */
  private awaitingDelimiter = false;
  readonly events: { event: string }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the socket closed')));
  }

  static connect(socketPath: string): Promise<JsonLineSocket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(socketPath);
      socket.once('connect', () => resolve(new JsonLineSocket(socket)));
      socket.once('error', reject);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.awaitingDelimiter) {
      const ff = this.buffer.indexOf(0xff);
      if (ff < 0) {
        this.buffer = Buffer.alloc(0);
        return;
      }
      this.buffer = this.buffer.subarray(ff + 1);
      this.awaitingDelimiter = false;
    }
    for (let nl = this.buffer.indexOf(0x0a); nl >= 0; nl = this.buffer.indexOf(0x0a)) {
      const text = this.buffer.subarray(0, nl).toString('utf8').trim();
      this.buffer = this.buffer.subarray(nl + 1);
      if (text === '') continue;
      const message = JSON.parse(text) as Record<string, unknown>;
      if (typeof message.event === 'string') {
        this.events.push(message as { event: string });
        continue;
      }
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter(message);
      else this.lines.push(message);
    }
  }

  private next(): Promise<unknown> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = (value) =>
        value === undefined ? reject(this.failure ?? new Error('closed')) : resolve(value);
    });
  }

  /** Sends one command and returns its `return` value; an `error` answer rejects. */
  async execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const message =
      args === undefined ? { execute: command } : { execute: command, arguments: args };
    this.socket.write(`${JSON.stringify(message)}\n`);
    const answer = (await this.next()) as { return?: unknown; error?: { desc?: string } };
    if (answer.error) throw new Error(`${command}: ${answer.error.desc ?? 'error'}`);
    return answer.return;
  }

  /** QMP: read the greeting and leave negotiation mode. */
  async qmpHandshake(): Promise<void> {
    await this.next();
    await this.execute('qmp_capabilities');
  }

  /**
   * The guest agent: resynchronise on connecting, as the QEMU Guest Agent Protocol Reference says
   * of guest-sync-delimited (https://qemu.org/docs/master/interop/qemu-ga-ref.html): the answer
   * follows a 0xFF sentinel byte and everything before it is stale.
   */
  async agentSync(id: number): Promise<void> {
    this.awaitingDelimiter = true;
    this.socket.write(Buffer.from([0xff]));
    const got = await this.execute('guest-sync-delimited', { id });
    if (got !== id) throw new Error(`guest-sync-delimited answered ${String(got)}, not ${id}`);
  }

  close(): void {
    this.socket.destroy();
  }
}
