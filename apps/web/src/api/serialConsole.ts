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
  /** The VM is gone: the stream will not come back. */
  ended(): void;
}

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Opens the VM's serial console stream; returns a function that closes it. */
export function openSerialConsole(vmId: VmId, handlers: SerialConsoleHandlers): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(apiUrl(`/vms/${encodeURIComponent(vmId)}/serial-console`));
  source.addEventListener('backlog', (message: MessageEvent<string>) =>
    handlers.backlog(bytesOf(message.data)),
  );
  source.addEventListener('output', (message: MessageEvent<string>) =>
    handlers.output(bytesOf(message.data)),
  );
  source.addEventListener('ended', () => {
    source.close();
    handlers.ended();
  });
  source.addEventListener('open', () => handlers.connection(true));
  source.addEventListener('error', () => handlers.connection(false));
  return () => source.close();
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
