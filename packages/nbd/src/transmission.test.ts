// Several requests in flight on one connection, held to proto.md's "Ordering of messages and
// writes" and "Terminating the transmission phase", with a raw client and with qemu-io's aio_*.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryBlockExport, startNbdServer, type BlockExport, type NbdServer } from './index.js';
import type { InFlightLimits } from './inFlight.js';
import { Command, Option } from './protocol.js';
import { connectRaw, goData, type RawClient } from './testing/rawClient.js';
import { requireTool, runTool } from './testing/outsideTools.js';

const KiB = 1024;
const MiB = 1024 * KiB;
let dir: string;
let server: NbdServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbd-flight-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/**
 * A memory export whose calls take `callMs` at least and can be held: `hold(offset)` makes the next call at that offset wait
 * until `release(offset)`. It records the order the calls ended in, how many ran at once, and
 * what a flush made durable (a copy of the bytes).
 */
function heldExport(
  sizeBytes: number,
  callMs = 0,
): BlockExport & {
  bytes: Uint8Array;
  durable: Uint8Array;
  ended: string[];
  running: number;
  mostAtOnce: number;
  hold(offset: number): void;
  release(offset: number): void;
  started(offset: number): Promise<void>;
} {
  const inner = memoryBlockExport(sizeBytes);
  const holds = new Map<number, { gate: Promise<void>; open: () => void }>();
  const starts = new Map<number, () => void>();
  const startedAt = new Map<number, Promise<void>>();
  const run = async <T>(name: string, offset: number, work: () => Promise<T>): Promise<T> => {
    self.running += 1;
    self.mostAtOnce = Math.max(self.mostAtOnce, self.running);
    starts.get(offset)?.();
    try {
      await holds.get(offset)?.gate;
      // A tick of the event loop at least, as a file's read or write takes.
      await new Promise((resolve) => setTimeout(resolve, callMs));
      const result = await work();
      self.ended.push(`${name}@${offset}`);
      return result;
    } finally {
      self.running -= 1;
    }
  };
  const self = {
    ...inner,
    durable: new Uint8Array(sizeBytes),
    ended: [] as string[],
    running: 0,
    mostAtOnce: 0,
    read: (offset: number, length: number) => run('read', offset, () => inner.read(offset, length)),
    readInto: (offset: number, into: Uint8Array) =>
      run('read', offset, () => inner.readInto(offset, into)),
    write: (offset: number, data: Uint8Array) =>
      run('write', offset, () => inner.write(offset, data, false)),
    flush: () =>
      run('flush', -1, () => {
        self.durable.set(inner.bytes);
        return Promise.resolve();
      }),
    hold(offset: number) {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      holds.set(offset, { gate, open });
      startedAt.set(
        offset,
        new Promise<void>((resolve) => {
          starts.set(offset, resolve);
        }),
      );
    },
    /** Lets the held call (started or not) go on; later calls at `offset` are not held. */
    release(offset: number) {
      holds.get(offset)?.open();
    },
    started: (offset: number) => startedAt.get(offset) ?? Promise.resolve(),
  };
  return self;
}

async function serve(disk: BlockExport, inFlightLimits?: InFlightLimits): Promise<NbdServer> {
  server = await startNbdServer({
    socketPath: join(dir, 'disk.sock'),
    exports: (name) => (name === 'disk' ? disk : undefined),
    ...(inFlightLimits === undefined ? {} : { inFlightLimits }),
  });
  return server;
}

async function client(s: NbdServer): Promise<RawClient> {
  const c = await connectRaw(s.socketPath);
  await c.option(Option.GO, goData('disk'));
  return c;
}

const until = async (condition: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('several requests in flight on one connection', () => {
  it('answers a request as soon as it is done, before an earlier one still under way', async () => {
    const disk = heldExport(MiB);
    disk.bytes.fill(7, 8 * KiB, 12 * KiB);
    const c = await client(await serve(disk));
    disk.hold(0);
    const slow = c.send(Command.READ, 0, 4 * KiB);
    const quick = c.send(Command.READ, 8 * KiB, 4 * KiB);
    const first = await c.readReply();
    expect(first.cookie).toBe(quick);
    expect(first.data.every((b) => b === 7)).toBe(true);
    disk.release(0);
    expect((await c.readReply()).cookie).toBe(slow);
    c.socket.destroy();
  });

  it('keeps overlapping writes in the order they were sent; others go past a held one', async () => {
    const disk = heldExport(MiB);
    const c = await client(await serve(disk));
    disk.hold(0);
    const first = c.send(Command.WRITE, 0, 8 * KiB, 0, Buffer.alloc(8 * KiB, 1));
    const overlapping = c.send(Command.WRITE, 4 * KiB, 8 * KiB, 0, Buffer.alloc(8 * KiB, 2));
    const elsewhere = c.send(Command.WRITE, 64 * KiB, 4 * KiB, 0, Buffer.alloc(4 * KiB, 3));
    const readBack = c.send(Command.READ, 0, 12 * KiB);
    expect((await c.readReply()).cookie).toBe(elsewhere);
    // Neither the overlapping write nor the read of the range has reached the export.
    expect(disk.ended).toEqual(['write@65536']);
    disk.release(0);
    const rest = [await c.readReply(), await c.readReply(), await c.readReply()];
    expect(rest.map((r) => r.cookie)).toEqual([first, overlapping, readBack]);
    const bytes = rest[2]?.data ?? Buffer.alloc(0);
    expect(bytes.subarray(0, 4 * KiB).every((b) => b === 1)).toBe(true);
    expect(bytes.subarray(4 * KiB).every((b) => b === 2)).toBe(true);
    c.socket.destroy();
  });

  it('1 MiB writes held by the export keep their own bytes while later 1 MiB writes arrive', async () => {
    // The server reuses the buffers it reads write data into: never one the export still holds.
    const disk = heldExport(8 * MiB);
    const c = await client(await serve(disk));
    disk.hold(0);
    disk.hold(MiB);
    const held = [0, 1].map((i) =>
      c.send(Command.WRITE, i * MiB, MiB, 0, Buffer.alloc(MiB, i + 1)),
    );
    await Promise.all([disk.started(0), disk.started(MiB)]);
    const later = [2, 3, 4, 5].map((i) =>
      c.send(Command.WRITE, i * MiB, MiB, 0, Buffer.alloc(MiB, i + 1)),
    );
    const replies = [];
    while (replies.length < later.length) replies.push(await c.readReply());
    expect(replies.map((r) => r.cookie).sort()).toEqual([...later].sort());
    disk.release(0);
    disk.release(MiB);
    const heldReplies = [await c.readReply(), await c.readReply()];
    expect(heldReplies.map((r) => r.error)).toEqual([0, 0]);
    expect(heldReplies.map((r) => r.cookie).sort()).toEqual([...held].sort());
    for (let i = 0; i < 6; i++)
      expect(disk.bytes.subarray(i * MiB, (i + 1) * MiB).every((b) => b === i + 1)).toBe(true);
    c.socket.destroy();
  });

  it('a FLUSH covers every write already replied to, without waiting for writes still under way', async () => {
    const disk = heldExport(MiB);
    const c = await client(await serve(disk));
    expect((await c.request(Command.WRITE, 0, 4 * KiB, 0, Buffer.alloc(4 * KiB, 9))).error).toBe(0);
    disk.hold(KiB * 64);
    const stillUnderWay = c.send(Command.WRITE, 64 * KiB, 4 * KiB, 0, Buffer.alloc(4 * KiB, 5));
    const flush = c.send(Command.FLUSH, 0, 0);
    const flushed = await c.readReply();
    expect(flushed).toMatchObject({ cookie: flush, error: 0 });
    expect(disk.durable.subarray(0, 4 * KiB).every((b) => b === 9)).toBe(true);
    disk.release(64 * KiB);
    expect((await c.readReply()).cookie).toBe(stillUnderWay);
    c.socket.destroy();
  });

  it('serves at most the configured number of requests at once, and all of them in the end', async () => {
    const disk = heldExport(MiB);
    const c = await client(await serve(disk, { requests: 4, bytes: 64 * MiB }));
    for (let i = 0; i < 10; i++) disk.hold(i * 4 * KiB);
    const sent = Array.from({ length: 10 }, (_, i) => c.send(Command.READ, i * 4 * KiB, 4 * KiB));
    await until(() => disk.running === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(disk.running).toBe(4);
    for (let i = 0; i < 10; i++) disk.release(i * 4 * KiB);
    const answered = [];
    for (let i = 0; i < 10; i++) answered.push((await c.readReply()).cookie);
    expect(answered.sort()).toEqual(sent.sort());
    expect(disk.mostAtOnce).toBe(4);
    c.socket.destroy();
  });

  it('holds at most the configured payload bytes, also for a client that does not read its replies', async () => {
    const disk = heldExport(64 * MiB);
    const c = await client(await serve(disk, { requests: 64, bytes: 2 * MiB }));
    const sent = Array.from({ length: 48 }, (_, i) => c.send(Command.READ, i * MiB, MiB));
    // The client reads nothing: the server stops once its budget and the socket's buffers are full.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const readsWhileIgnored = disk.ended.length;
    expect(readsWhileIgnored).toBeLessThan(16);
    const answered: bigint[] = [];
    while (answered.length < sent.length) answered.push((await c.readReply()).cookie);
    expect(answered.sort()).toEqual(sent.sort());
    c.socket.destroy();
  });

  it('on NBD_CMD_DISC serves the requests under way, replies, then closes', async () => {
    const disk = heldExport(MiB);
    const c = await client(await serve(disk));
    disk.hold(0);
    const write = c.send(Command.WRITE, 0, 4 * KiB, 0, Buffer.alloc(4 * KiB, 4));
    await disk.started(0);
    c.send(Command.DISC, 0, 0);
    let closed = false;
    void c.closed.then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    disk.release(0);
    expect(await c.readReply()).toMatchObject({ cookie: write, error: 0 });
    await c.closed;
    expect(disk.bytes.subarray(0, 4 * KiB).every((b) => b === 4)).toBe(true);
  });

  it('closing the server waits for the requests under way: the export is not called after', async () => {
    const disk = heldExport(MiB);
    const s = await serve(disk);
    const c = await client(s);
    disk.hold(0);
    c.send(Command.WRITE, 0, 4 * KiB, 0, Buffer.alloc(4 * KiB, 6));
    await disk.started(0);
    let closed = false;
    const closing = s.close().then(() => {
      closed = true;
    });
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    disk.release(0);
    await closing;
    expect(disk.running).toBe(0);
    expect(disk.bytes[0]).toBe(6);
  });
});

describe('several requests in flight, with qemu-img as the client', () => {
  it('qemu-img convert -W -m 8 writes in parallel and out of order; the export holds the file, flushed, and reads back the same in parallel', async (ctx) => {
    requireTool(ctx, 'qemu-img');
    const disk = heldExport(32 * MiB, 20);
    const s = await serve(disk);
    const source = Buffer.alloc(32 * MiB);
    for (let i = 0; i < source.length; i += 4096) source.writeUInt32LE(i / 4096 + 1, i);
    const sourceFile = join(dir, 'source.raw');
    await writeFile(sourceFile, source);
    const uri = `nbd+unix:///disk?socket=${s.socketPath}`;
    const args = ['convert', '-n', '-W', '-m', '8', '-S', '0', '-f', 'raw', '-O', 'raw'];
    const written = await runTool('qemu-img', [...args, sourceFile, uri]);
    expect(written.output).toBe('');
    expect(disk.mostAtOnce).toBeGreaterThan(1);
    expect(Buffer.compare(Buffer.from(disk.durable), source)).toBe(0);
    disk.mostAtOnce = 0;
    const copy = join(dir, 'copy.raw');
    const read = await runTool('qemu-img', [
      'convert',
      '-m',
      '8',
      '-f',
      'raw',
      '-O',
      'raw',
      uri,
      copy,
    ]);
    expect(read.output).toBe('');
    expect(disk.mostAtOnce).toBeGreaterThan(1);
    expect(Buffer.compare(await readFile(copy), source)).toBe(0);
  }, 60_000);
});
