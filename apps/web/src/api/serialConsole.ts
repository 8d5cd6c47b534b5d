/**
 * The serial console of a VM whose guest runs under QEMU (Virtual Machine Connection): its output
 * as Server-Sent Events, what is typed as POSTs (apps/server/README.md says why this transport).
 */
import type { VmId } from '@hvm/engine';
import { apiUrl, request } from './client';

export interface SerialConsoleHandlers {
  /** The recent output: the screen starts again from it (on every connection, reconnections too). */
  backlog(bytes: Uint8Array): void;
  /** What the guest prints, as it prints it. */
  output(bytes: Uint8Array): void;
  /** The stream is open (true) or lost and trying again (false). */
  connection(connected: boolean): void;
  /**
   * The server the VM lives on cannot be reached (the gateway's `host-unreachable` event, with
   * Hyper-V Manager's message): the stream ended and is tried again until that server is back.
   */
  hostUnreachable(message: string): void;
  /** The VM is gone: the stream will not come back. */
  ended(): void;
}

/** Where a stream is opened and how long to wait before trying again after it gave up. */
export interface SerialConsoleStreamOptions {
  /** The server the VM lives on (`currentHostPath()` when its window opened). */
  hostPath?: string;
  /** The first wait and the longest one; it doubles in between. Default 1 s and 15 s. */
  retryMs?: { initial: number; max: number };
}

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** `EventSource.CLOSED`: the browser gave up (an error answer) and will not try again itself. */
const EVENT_SOURCE_CLOSED = 2;

/**
 * Opens the VM's serial console stream; returns a function that closes it. The browser itself
 * reconnects a stream that broke off; one it gave up on (an error answer, such as the gateway's
 * 502 while the VM's server is unreachable) or one the gateway ended because that server went
 * away is opened again here, after a wait that doubles up to `retryMs.max`.
 */
export function openSerialConsole(
  vmId: VmId,
  handlers: SerialConsoleHandlers,
  options: SerialConsoleStreamOptions = {},
): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const url = apiUrl(`/vms/${encodeURIComponent(vmId)}/serial-console`, options.hostPath);
  const retryMs = options.retryMs ?? { initial: 1_000, max: 15_000 };
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const retryLater = (): void => {
    source?.close();
    source = null;
    if (stopped || timer !== undefined) return;
    const delay = Math.min(retryMs.max, retryMs.initial * 2 ** failures);
    failures = Math.min(failures + 1, 30);
    timer = setTimeout(() => {
      timer = undefined;
      open();
    }, delay);
  };

  const open = (): void => {
    if (stopped) return;
    const current = new EventSource(url);
    source = current;
    current.addEventListener('backlog', (message: MessageEvent<string>) =>
      handlers.backlog(bytesOf(message.data)),
    );
    current.addEventListener('output', (message: MessageEvent<string>) =>
      handlers.output(bytesOf(message.data)),
    );
    current.addEventListener('ended', () => {
      stopped = true;
      current.close();
      handlers.ended();
    });
    current.addEventListener('host-unreachable', (message: MessageEvent<string>) => {
      let text = '';
      try {
        const said = (JSON.parse(message.data) as { message?: unknown }).message;
        if (typeof said === 'string') text = said;
      } catch {
        // Not JSON: the window says the connection was lost.
      }
      handlers.hostUnreachable(text);
      retryLater();
    });
    current.addEventListener('open', () => {
      failures = 0;
      handlers.connection(true);
    });
    current.addEventListener('error', () => {
      if (source !== current) return;
      handlers.connection(false);
      if (current.readyState === EVENT_SOURCE_CLOSED) retryLater();
    });
  };

  open();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    source?.close();
  };
}

/** The most characters one POST carries: at most 4096 bytes of UTF-8, what the server takes. */
export const MAX_CHARACTERS_PER_SEND = 1024;
/** The most typed characters that wait to be sent; a paste beyond it is cut. */
export const MAX_WAITING_CHARACTERS = 64 * 1024;

/**
 * What is typed into a VM's serial console, sent in order: one request at a time, keys typed
 * meanwhile go together in the next one, and what waits is bounded. A refusal (the guest is not
 * running, not reading, or the user may not type) is reported and what waited is dropped.
 */
export class SerialConsoleTyping {
  private waiting = '';
  private sending = false;

  constructor(
    private readonly vmId: VmId,
    private readonly onRefused: (error: unknown) => void,
    /** The server the VM lives on (`currentHostPath()` when its window opened). */
    private readonly hostPath?: string,
  ) {}

  type(text: string): void {
    this.waiting = (this.waiting + text).slice(0, MAX_WAITING_CHARACTERS);
    void this.sendWaiting();
  }

  private async sendWaiting(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.waiting !== '') {
        // Never cut a surrogate pair in two.
        let end = Math.min(MAX_CHARACTERS_PER_SEND, this.waiting.length);
        const last = this.waiting.charCodeAt(end - 1);
        if (end < this.waiting.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
        const text = this.waiting.slice(0, end);
        this.waiting = this.waiting.slice(end);
        await request<void>(`/vms/${encodeURIComponent(this.vmId)}/serial-console/input`, {
          method: 'POST',
          body: { text },
          ...(this.hostPath === undefined ? {} : { hostPath: this.hostPath }),
        });
      }
    } catch (error) {
      this.waiting = '';
      this.onRefused(error);
    } finally {
      this.sending = false;
    }
  }
}
