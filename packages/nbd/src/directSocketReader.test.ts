import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectSocketReader } from './directSocketReader.js';
import { AF_UNIX, SOCK_CLOEXEC, SOCK_STREAM, socketCalls } from './libc.js';
import { ConnectionClosed } from './socketReader.js';

const MiB = 1024 * 1024;
function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** A reader on one end of a socket pair, and the peer's end as a stream socket. */
function connectedPair(): { reader: DirectSocketReader; peer: Socket } {
  const calls = socketCalls();
  if (calls === null) throw new Error('socketpair(2) cannot be called on this host');
  const descriptors = new Int32Array(2);
  if (calls.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, descriptors) !== 0)
    throw new Error('socketpair(2) failed');
  const [ours = -1, theirs = -1] = descriptors;
  const reader = new DirectSocketReader(ours);
  const peer = new Socket({ fd: theirs, readable: true, writable: true });
  return { reader, peer };
}

const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

describe.runIf(process.platform === 'linux')('DirectSocketReader (a socket pair)', () => {
  const pair = (): { reader: DirectSocketReader; peer: Socket } => {
    const made = connectedPair();
    opened.push(made.reader.socket, made.peer);
    return made;
  };

  it('reads request headers and 1 MiB of data that arrive together, the data into the buffer given', async () => {
    const { reader, peer } = pair();
    const header = pattern(28, 1);
    const data = pattern(MiB, 2);
    const next = pattern(28, 3);
    peer.write(Buffer.concat([header, data, next]));
    expect(await reader.read(28)).toEqual(header);
    const into = Buffer.alloc(MiB);
    const read = await reader.read(MiB, into);
    // The buffer given holds the message: no copy of it is made elsewhere.
    expect(read.buffer).toBe(into.buffer);
    expect(read.equals(data)).toBe(true);
    expect(await reader.read(28)).toEqual(next);
  });

  it('gathers a message that comes in many small writes, in order, whether or not a buffer is given', async () => {
    const { reader, peer } = pair();
    const data = pattern(3 * MiB + 5, 9);
    const small = pattern(100, 4);
    const sent = (async () => {
      for (let at = 0; at < data.length; at += 65_000) {
        peer.write(data.subarray(at, at + 65_000));
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const byte of small) peer.write(Buffer.from([byte]));
    })();
    const into = Buffer.alloc(2 * MiB);
    expect((await reader.read(2 * MiB, into)).equals(data.subarray(0, 2 * MiB))).toBe(true);
    // Larger than the buffer given: gathered in a new one.
    const rest = await reader.read(MiB + 5, into.subarray(0, MiB));
    expect(rest.buffer).not.toBe(into.buffer);
    expect(rest.equals(data.subarray(2 * MiB))).toBe(true);
    expect(await reader.read(100)).toEqual(small);
    await sent;
  });

  it('reads no further ahead than 64 KiB while nothing waits: the rest stays with the sender', async () => {
    const { reader, peer } = pair();
    const data = pattern(8 * MiB, 5);
    let flushed = false;
    peer.write(data, () => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The socket pair's buffers hold far less than 8 MiB: the sender is held back.
    expect(flushed).toBe(false);
    const got = await reader.read(8 * MiB);
    expect(got.equals(data)).toBe(true);
  });

  it('a read waiting when the peer goes away rejects with ConnectionClosed, also after a part of its bytes', async () => {
    const { reader, peer } = pair();
    peer.end(pattern(1000, 6));
    await expect(reader.read(MiB, Buffer.alloc(MiB))).rejects.toBeInstanceOf(ConnectionClosed);
  });

  it('one read at a time', () => {
    const { reader } = pair();
    void reader.read(28).catch(() => undefined);
    expect(() => reader.read(28)).toThrow(/one read at a time/);
  });
});
