/**
 * A file written from a stream (a machine's saved state, stateFile.ts) that is made durable as it
 * is written, in steps, not only at its end.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * How much of the stream may wait in the page cache before it is made durable (`fdatasync`) as it
 * comes. A whole memory left to the kernel's writeback makes the first `fsync` of any file on the
 * same file system wait for it (ext4 commits its journal in order): the host's own small fsyncs at
 * the end of a pre-copy, while QEMU holds the guest (the new disk's record), would wait for
 * gigabytes. Written in steps of this size, at most this much is left when QEMU stops the guest.
 */
export const STATE_DURABLE_STEP_BYTES = 16 * 1024 * 1024;

/**
 * Writes a stream into `file` (created or truncated), making it durable every
 * `STATE_DURABLE_STEP_BYTES` and at its end (`fsync`); the next bytes wait for each step.
 */
export class DurableFileWriter extends Writable {
  private handle: FileHandle | null = null;
  private sinceDurable = 0;

  constructor(
    private readonly file: string,
    private readonly stepBytes = STATE_DURABLE_STEP_BYTES,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.file, 'w').then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.append(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.append([chunk]).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    (this.handle?.sync() ?? Promise.resolve()).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const closed = this.handle?.close() ?? Promise.resolve();
    this.handle = null;
    closed.then(
      () => callback(error),
      () => callback(error),
    );
  }

  private async append(buffers: Buffer[]): Promise<void> {
    const handle = this.handle;
    if (handle === null) throw new Error(`${this.file} is not open`);
    let rest =
      buffers.length === 1 && buffers[0] !== undefined ? buffers[0] : Buffer.concat(buffers);
    const size = rest.length;
    while (rest.length > 0) {
      const { bytesWritten } = await handle.write(rest, 0, rest.length, null);
      rest = rest.subarray(bytesWritten);
    }
    this.sinceDurable += size;
    if (this.sinceDurable >= this.stepBytes) {
      this.sinceDurable = 0;
      await handle.datasync();
    }
  }
}
