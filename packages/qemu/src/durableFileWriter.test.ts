import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DurableFileWriter } from './durableFileWriter.js';

const MiB = 1024 * 1024;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hvm-durable-writer-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** The prototype of the handles `fs/promises` opens, where `datasync` and `sync` live. */
async function fileHandlePrototype(): Promise<{
  datasync(): Promise<void>;
  sync(): Promise<void>;
}> {
  const handle = await open(join(dir, 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as { datasync(): Promise<void>; sync(): Promise<void> };
}

describe('a saved state written as it comes', () => {
  it('is whole, made durable at every step while it comes and at its end', async () => {
    const prototype = await fileHandlePrototype();
    const datasync = vi.spyOn(prototype, 'datasync');
    const sync = vi.spyOn(prototype, 'sync');
    const stream = randomBytes(5 * MiB + 12345);
    const chunks = Array.from({ length: Math.ceil(stream.length / (64 * 1024)) }, (_, i) =>
      stream.subarray(i * 64 * 1024, (i + 1) * 64 * 1024),
    );
    const file = join(dir, 'state.vmrs');

    await pipeline(Readable.from(chunks), new DurableFileWriter(file, MiB));

    expect((await readFile(file)).equals(stream)).toBe(true);
    // One step per whole MiB as the stream comes (chunks may end a step a little past it), then
    // the whole file at its end.
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(5);
    expect(sync).toHaveBeenCalledTimes(1);
  });

  it('replaces what the file held, and a stream cut off fails its write', async () => {
    const file = join(dir, 'state.vmrs');
    await pipeline(Readable.from([Buffer.alloc(3 * MiB, 1)]), new DurableFileWriter(file, MiB));
    await pipeline(Readable.from([Buffer.from('short')]), new DurableFileWriter(file, MiB));
    expect((await readFile(file)).toString()).toBe('short');

    const cut = new Readable({
      read() {
        this.destroy(new Error('the connection was cut'));
      },
    });
    await expect(pipeline(cut, new DurableFileWriter(file, MiB))).rejects.toThrow(
      'the connection was cut',
    );
  });
});
