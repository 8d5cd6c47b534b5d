import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockExportError,
  memoryBlockExport,
  startNbdServer,
  type BlockExport,
  type NbdServer,
} from './index.js';
import { Command, CommandFlag, NbdError, Option, OptionReply } from './protocol.js';
import { connectRaw, goData } from './testing/rawClient.js';
import { requireTool, runTool } from './testing/outsideTools.js';

const MiB = 1024 * 1024;
let dir: string;
let server: NbdServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbd-test-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function serve(exports: Record<string, BlockExport>): Promise<NbdServer> {
  server = await startNbdServer({
    socketPath: join(dir, 'disk.sock'),
    exports: (name) => exports[name],
  });
  return server;
}

const uri = (s: NbdServer, name = 'disk'): string => `nbd+unix:///${name}?socket=${s.socketPath}`;

describe('the NBD server, checked with QEMU as the client', () => {
  it('qemu-io writes, reads back, flushes and discards through NBD_OPT_GO; the bytes land in the export', async (ctx) => {
    requireTool(ctx, 'qemu-io');
    const disk = memoryBlockExport(16 * MiB);
    const s = await serve({ disk });
    const result = await runTool('qemu-io', [
      '-f',
      'raw',
      '-c',
      'write -P 0xab 1M 64k',
      '-c',
      'write -P 0xcd -f 3M 4k',
      '-c',
      'read -P 0xab 1M 64k',
      '-c',
      'flush',
      '-c',
      'discard 3M 4k',
      '-c',
      'read -P 0 3M 4k',
      uri(s),
    ]);
    expect(result.output).not.toMatch(/Pattern verification failed|error|failed/i);
    expect(result.status).toBe(0);
    expect(disk.bytes.subarray(MiB, MiB + 64 * 1024).every((b) => b === 0xab)).toBe(true);
    expect(s.counts.flushes).toBeGreaterThanOrEqual(1);
    expect(s.counts.trims).toBe(1);
  });

  it('qemu-img reads the whole export into a raw file byte for byte, and sees its size', async (ctx) => {
    requireTool(ctx, 'qemu-img');
    const disk = memoryBlockExport(8 * MiB);
    for (let i = 0; i < disk.bytes.length; i += 4096) disk.bytes[i] = (i / 4096) & 0xff;
    const s = await serve({ disk });
    const info = await runTool('qemu-img', ['info', '--output=json', uri(s)]);
    expect(info.status).toBe(0);
    expect((JSON.parse(info.output) as { 'virtual-size': number })['virtual-size']).toBe(8 * MiB);
    const out = join(dir, 'copy.raw');
    const convert = await runTool('qemu-img', ['convert', '-O', 'raw', uri(s), out]);
    expect(convert.output).toBe('');
    expect((await stat(out)).size).toBe(8 * MiB);
    expect(Buffer.compare(await readFile(out), Buffer.from(disk.bytes))).toBe(0);
  });

  it('a read-only export refuses writes: qemu-io reports the failure and the bytes stay', async (ctx) => {
    requireTool(ctx, 'qemu-io');
    const disk = memoryBlockExport(MiB, true);
    const s = await serve({ disk });
    const result = await runTool('qemu-io', ['-f', 'raw', '-c', 'write -P 0x11 0 4k', uri(s)]);
    expect(result.output).toMatch(/Operation not permitted|read-only|Permission denied/i);
    expect(disk.bytes.every((b) => b === 0)).toBe(true);
  });
});

describe('the NBD server, held to the protocol document', () => {
  it('answers an unknown export NBD_REP_ERR_UNKNOWN and an unknown option NBD_REP_ERR_UNSUP, then still serves', async () => {
    const s = await serve({ disk: memoryBlockExport(MiB) });
    const client = await connectRaw(s.socketPath);
    expect((await client.option(Option.GO, goData('nosuch'))).map((r) => r.type)).toEqual([
      OptionReply.ERR_UNKNOWN,
    ]);
    expect((await client.option(Option.STRUCTURED_REPLY)).map((r) => r.type)).toEqual([
      OptionReply.ERR_UNSUP,
    ]);
    const go = await client.option(Option.GO, goData('disk'));
    expect(go.at(-1)?.type).toBe(OptionReply.ACK);
    const exportInfo = go.find((r) => r.type === OptionReply.INFO && r.data.readUInt16BE(0) === 0);
    expect(exportInfo?.data.readBigUInt64BE(2)).toBe(BigInt(MiB));
    expect((await client.request(Command.READ, 0, 512)).error).toBe(0);
    client.socket.destroy();
  });

  it('refuses requests beyond the end, unknown commands and flags, and keeps the session', async () => {
    const disk = memoryBlockExport(MiB);
    const s = await serve({ disk });
    const client = await connectRaw(s.socketPath);
    await client.option(Option.GO, goData('disk'));
    expect((await client.request(Command.READ, MiB - 512, 1024)).error).toBe(NbdError.EINVAL);
    expect((await client.request(Command.WRITE, MiB, 4, 0, Buffer.alloc(4, 1))).error).toBe(
      NbdError.ENOSPC,
    );
    expect((await client.request(Command.TRIM, MiB, 512)).error).toBe(NbdError.EINVAL);
    expect((await client.request(42, 0, 0)).error).toBe(NbdError.EINVAL);
    expect((await client.request(Command.READ, 0, 4, 1 << 7)).error).toBe(NbdError.EINVAL);
    const write = await client.request(
      Command.WRITE,
      10,
      4,
      CommandFlag.FUA,
      Buffer.from([1, 2, 3, 4]),
    );
    expect(write.error).toBe(0);
    expect((await client.request(Command.READ, 10, 4)).data).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(s.counts.refused).toBe(5);
    client.socket.destroy();
  });

  it('passes an export failure to the client as NBD_EIO, or the error the export names', async () => {
    const failing: BlockExport = {
      ...memoryBlockExport(MiB),
      read: () => Promise.reject(new Error('disk gone')),
      readInto: () => Promise.reject(new Error('disk gone')),
      write: () => Promise.reject(new BlockExportError('volume full', 'ENOSPC')),
    };
    const s = await serve({ disk: failing });
    const client = await connectRaw(s.socketPath);
    await client.option(Option.GO, goData('disk'));
    expect((await client.request(Command.READ, 0, 512)).error).toBe(NbdError.EIO);
    expect((await client.request(Command.WRITE, 0, 1, 0, Buffer.alloc(1))).error).toBe(
      NbdError.ENOSPC,
    );
    client.socket.destroy();
  });

  it('disconnects a client that breaks the protocol: bad flags, bad magic, huge option, oversized write', async () => {
    const s = await serve({ disk: memoryBlockExport(MiB) });
    const badFlags = await connectRaw(s.socketPath, 0x80);
    await badFlags.closed;

    const hugeOption = await connectRaw(s.socketPath);
    const header = Buffer.alloc(16);
    header.writeBigUInt64BE(0x49484156454f5054n, 0);
    header.writeUInt32BE(Option.GO, 8);
    header.writeUInt32BE(0xffffffff, 12);
    hugeOption.socket.write(header);
    await hugeOption.closed;

    const badMagic = await connectRaw(s.socketPath);
    await badMagic.option(Option.GO, goData('disk'));
    badMagic.socket.write(Buffer.alloc(28, 0xee));
    await badMagic.closed;

    const bigWrite = await connectRaw(s.socketPath);
    await bigWrite.option(Option.GO, goData('disk'));
    const request = Buffer.alloc(28);
    request.writeUInt32BE(0x25609513, 0);
    request.writeUInt16BE(Command.WRITE, 6);
    request.writeUInt32BE(64 * MiB, 24);
    bigWrite.socket.write(request);
    await bigWrite.closed;
  });

  it('ends a client after NBD_CMD_DISC and after NBD_OPT_ABORT (acknowledged)', async () => {
    const s = await serve({ disk: memoryBlockExport(MiB) });
    const aborting = await connectRaw(s.socketPath);
    expect((await aborting.option(Option.ABORT)).map((r) => r.type)).toEqual([OptionReply.ACK]);
    await aborting.closed;
    const leaving = await connectRaw(s.socketPath);
    await leaving.option(Option.GO, goData('disk'));
    const disc = Buffer.alloc(28);
    disc.writeUInt32BE(0x25609513, 0);
    disc.writeUInt16BE(Command.DISC, 6);
    leaving.socket.write(disc);
    await leaving.closed;
  });

  it('the socket file is for its owner only, and closing the server removes it', async () => {
    const s = await serve({ disk: memoryBlockExport(MiB) });
    expect((await stat(s.socketPath)).mode & 0o777).toBe(0o600);
    await s.close();
    server = undefined;
    await expect(stat(s.socketPath)).rejects.toThrow(/ENOENT/);
  });
});
