// The raw-file peer of the chain I/O figures: the same requests (offsets, sizes, order) to a
// plain file in this process, one at a time, with the plain system calls (`readSync`,
// `writeSync`, `fsync`): what a disk stack costs on top of the file system it lives on.
import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { KIB, MIB } from './util.js';

function writeAll(fd: number, data: Uint8Array, at: number): void {
  for (let done = 0; done < data.length;)
    done += writeSync(fd, data, done, data.length - done, at + done);
}

function readAll(fd: number, into: Uint8Array, at: number): void {
  for (let done = 0; done < into.length;) {
    const n = readSync(fd, into, done, into.length - done, at + done);
    if (n === 0) break;
    done += n;
  }
}

const since = (t0: number): number => performance.now() - t0;

/** A new sparse raw file of `span` bytes; each method times one pattern of requests, in ms. */
export class RawFile {
  private readonly fd: number;
  private readonly page: Buffer;
  private readonly readBuf = Buffer.alloc(MIB);
  private readonly pageBuf = Buffer.alloc(4 * KIB);

  constructor(
    path: string,
    private readonly span: number,
    private readonly chunk: Buffer,
  ) {
    this.fd = openSync(path, 'w+', 0o600);
    ftruncateSync(this.fd, span);
    this.page = chunk.subarray(0, 4 * KIB);
  }

  /** 1 MiB writes over the span, then fsync. */
  seqWrite(): number {
    const t0 = performance.now();
    for (let o = 0; o < this.span; o += MIB) writeAll(this.fd, this.chunk, o);
    fsyncSync(this.fd);
    return since(t0);
  }

  seqRead(): number {
    const t0 = performance.now();
    for (let o = 0; o < this.span; o += MIB) readAll(this.fd, this.readBuf, o);
    return since(t0);
  }

  /** 4 KiB writes at `offsets`, then fsync. */
  randWrite(offsets: readonly number[]): number {
    const t0 = performance.now();
    for (const o of offsets) writeAll(this.fd, this.page, o);
    fsyncSync(this.fd);
    return since(t0);
  }

  randRead(offsets: readonly number[]): number {
    const t0 = performance.now();
    for (const o of offsets) readAll(this.fd, this.pageBuf, o);
    return since(t0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
