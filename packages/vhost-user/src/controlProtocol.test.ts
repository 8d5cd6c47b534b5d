/**
 * The control protocol over the real socket pair, with this test as the front end (messages
 * without descriptors): features, protocol features, REPLY_ACK, the configuration space, an
 * unknown request, and the front end hanging up.
 */
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBlockExport } from '@hvm/nbd';
import {
  canServeVhostUserBlk,
  serveVhostUserBlkOnSocketPair,
  type VhostUserBlkServing,
} from './index.js';
import { FLAG_NEED_REPLY, FLAG_REPLY, Feature, ProtocolFeature, Request } from './protocol.js';

const bit = (n: number): bigint => 1n << BigInt(n);

/** The test's own copy of QEMU's end (dup(2)): the socket that wraps it closes it. */
function duplicate(fd: number): number {
  const koffi = createRequire(import.meta.url)('koffi') as {
    load(name: string): { func(signature: string): (fd: number) => number };
  };
  return koffi.load('libc.so.6').func('int dup(int fd)')(fd);
}

class FakeFrontEnd {
  private received = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.waiting?.();
    });
  }

  send(request: number, payload: Buffer = Buffer.alloc(0), needReply = false): void {
    const header = Buffer.alloc(12);
    header.writeUInt32LE(request, 0);
    header.writeUInt32LE(0x1 | (needReply ? FLAG_NEED_REPLY : 0), 4);
    header.writeUInt32LE(payload.length, 8);
    this.socket.write(Buffer.concat([header, payload]));
  }

  async reply(): Promise<{ request: number; flags: number; payload: Buffer }> {
    for (;;) {
      if (this.received.length >= 12) {
        const size = this.received.readUInt32LE(8);
        if (this.received.length >= 12 + size) {
          const message = {
            request: this.received.readUInt32LE(0),
            flags: this.received.readUInt32LE(4),
            payload: this.received.subarray(12, 12 + size),
          };
          this.received = this.received.subarray(12 + size);
          return message;
        }
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
}

function u64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

describe('the vhost-user control protocol', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function connectFrontEnd(
    trim: boolean,
    readOnly = false,
  ): {
    frontEnd: FakeFrontEnd;
    serving: VhostUserBlkServing;
    logs: string[];
  } {
    const blockExport = memoryBlockExport(8 * 1024 * 1024, readOnly);
    if (!trim) delete (blockExport as { trim?: unknown }).trim;
    const logs: string[] = [];
    const serving = serveVhostUserBlkOnSocketPair({
      export: blockExport,
      log: (message) => logs.push(message),
    });
    const socket = new Socket({
      fd: duplicate(serving.clientDescriptor),
      readable: true,
      writable: true,
    });
    serving.releaseClientDescriptor();
    cleanups.push(() => serving.close());
    cleanups.push(() => void socket.destroy());
    return { frontEnd: new FakeFrontEnd(socket), serving, logs };
  }

  it('is available on this host', () => {
    expect(canServeVhostUserBlk()).toBe(process.platform === 'linux');
  });

  it('offers its features and protocol features, and acknowledges with REPLY_ACK', async () => {
    const { frontEnd } = connectFrontEnd(true);
    frontEnd.send(Request.GET_FEATURES);
    const features = await frontEnd.reply();
    expect(features.request).toBe(Request.GET_FEATURES);
    expect(features.flags & FLAG_REPLY).toBe(FLAG_REPLY);
    const offered = features.payload.readBigUInt64LE(0);
    for (const feature of [
      Feature.VERSION_1,
      Feature.PROTOCOL_FEATURES,
      Feature.LOG_ALL,
      Feature.RING_INDIRECT_DESC,
      Feature.BLK_SEG_MAX,
      Feature.BLK_BLK_SIZE,
      Feature.BLK_FLUSH,
      Feature.BLK_DISCARD,
    ])
      expect(offered & bit(feature), `feature ${feature}`).not.toBe(0n);
    expect(offered & bit(Feature.BLK_RO)).toBe(0n);

    frontEnd.send(Request.GET_PROTOCOL_FEATURES);
    const protocol = (await frontEnd.reply()).payload.readBigUInt64LE(0);
    expect(protocol).toBe(
      bit(ProtocolFeature.LOG_SHMFD) | bit(ProtocolFeature.REPLY_ACK) | bit(ProtocolFeature.CONFIG),
    );
    frontEnd.send(Request.SET_PROTOCOL_FEATURES, u64(protocol));
    frontEnd.send(Request.SET_OWNER, Buffer.alloc(0), true);
    const ack = await frontEnd.reply();
    expect(ack.request).toBe(Request.SET_OWNER);
    expect(ack.payload.readBigUInt64LE(0)).toBe(0n);
  });

  it('answers GET_CONFIG with the capacity in sectors, seg_max and blk_size', async () => {
    const { frontEnd } = connectFrontEnd(false, true);
    frontEnd.send(Request.GET_FEATURES);
    const offered = (await frontEnd.reply()).payload.readBigUInt64LE(0);
    expect(offered & bit(Feature.BLK_DISCARD)).toBe(0n);
    expect(offered & bit(Feature.BLK_RO)).not.toBe(0n);
    const request = Buffer.alloc(12 + 60);
    request.writeUInt32LE(0, 0);
    request.writeUInt32LE(60, 4);
    frontEnd.send(Request.GET_CONFIG, request);
    const config = (await frontEnd.reply()).payload.subarray(12);
    expect(config.length).toBe(60);
    expect(config.readBigUInt64LE(0)).toBe(BigInt((8 * 1024 * 1024) / 512));
    expect(config.readUInt32LE(12)).toBe(126);
    expect(config.readUInt32LE(20)).toBe(512);
    expect(config.readUInt16LE(34)).toBe(1);
  });

  it('ends the connection on a GET_CONFIG past the configuration space, never replying with it', async () => {
    // QEMU asks for sizeof(struct virtio_blk_config) at most VHOST_USER_MAX_CONFIG_SIZE (256)
    // bytes (hw/virtio/vhost-user.c). A larger size would make this process allocate and
    // write (blocking) a reply as long as the front end names.
    const { frontEnd, serving, logs } = connectFrontEnd(true);
    const request = Buffer.alloc(12);
    request.writeUInt32LE(0, 0);
    request.writeUInt32LE(100_000, 4);
    frontEnd.send(Request.GET_CONFIG, request);
    const outcome = await Promise.race([
      serving.disconnected.then(() => 'disconnected'),
      frontEnd.reply().then((reply) => `a reply of ${reply.payload.length} bytes`),
    ]);
    expect(outcome).toBe('disconnected');
    expect(logs.join('\n')).toMatch(/GET_CONFIG of 100000 bytes from 0/);
  });

  it('ends the connection when the front end stops reading its replies, never blocking', async () => {
    // A front end that sends GET_FEATURES without reading the replies fills the socket's
    // buffer; a blocking write of the next reply would stop this whole process (every VM).
    const { frontEnd, serving, logs } = connectFrontEnd(true);
    frontEnd.socket.pause();
    const header = Buffer.alloc(12);
    header.writeUInt32LE(Request.GET_FEATURES, 0);
    header.writeUInt32LE(0x1, 4);
    frontEnd.socket.write(Buffer.concat(Array.from({ length: 40_000 }, () => header)));
    await serving.disconnected;
    expect(logs.join('\n')).toMatch(/the front end does not read its replies/);
  });

  it('logs an unknown request once and fails it when a reply is wanted', async () => {
    const { frontEnd, logs } = connectFrontEnd(true);
    frontEnd.send(Request.SET_PROTOCOL_FEATURES, u64(bit(ProtocolFeature.REPLY_ACK)));
    frontEnd.send(99, Buffer.alloc(0), true);
    frontEnd.send(99, Buffer.alloc(0), true);
    expect((await frontEnd.reply()).payload.readBigUInt64LE(0)).not.toBe(0n);
    expect((await frontEnd.reply()).payload.readBigUInt64LE(0)).not.toBe(0n);
    expect(logs.filter((line) => line.includes('request 99 is not handled'))).toHaveLength(1);
  });

  it('stops serving when the front end hangs up', async () => {
    const { frontEnd, serving, logs } = connectFrontEnd(true);
    frontEnd.socket.destroy();
    await serving.disconnected;
    expect(logs).toContain('vhost-user connection ended: the front end hung up');
    await serving.close();
  });

  it('ends the connection on a message longer than it accepts, and closes', async () => {
    const { frontEnd, serving, logs } = connectFrontEnd(true);
    const header = Buffer.alloc(12);
    header.writeUInt32LE(Request.SET_CONFIG, 0);
    header.writeUInt32LE(0x1, 4);
    header.writeUInt32LE(1 << 20, 8);
    frontEnd.socket.write(header);
    await serving.disconnected;
    expect(logs.join('\n')).toMatch(/connection ended: a message of 1048576 bytes/);
  });

  it('ends the connection when a request the front end awaits a reply to fails', async () => {
    const { frontEnd, serving, logs } = connectFrontEnd(true);
    const state = Buffer.alloc(8);
    state.writeUInt32LE(5, 0); // no such vring: one queue
    frontEnd.send(Request.GET_VRING_BASE, state);
    await serving.disconnected;
    expect(logs).toContain('vhost-user connection ended: a request that needs a reply failed');
  });
});
