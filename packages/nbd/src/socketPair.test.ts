import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryBlockExport, serveNbdOnSocketPair } from './index.js';
import { requireTool } from './testing/outsideTools.js';

const MiB = 1024 * 1024;

const ON_DESCRIPTOR_3 =
  'driver=raw,file.driver=nbd,file.server.type=fd,file.server.str=3,file.export=disk';

/** Runs `qemu-io` with the pair's client end as its descriptor 3; resolves with status and output. */
function qemuIoOnDescriptor(
  descriptor: number,
  commands: string[],
): Promise<{ status: number | null; output: string }> {
  return runOnDescriptor(descriptor, 'qemu-io', [
    '--image-opts',
    ON_DESCRIPTOR_3,
    ...commands.flatMap((command) => ['-c', command]),
  ]);
}

function runOnDescriptor(
  descriptor: number,
  tool: string,
  args: string[],
): Promise<{ status: number | null; output: string }> {
  const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe', descriptor] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, output })));
}

describe('NBD over a socket pair, the client holding its end as an inherited descriptor', () => {
  it.runIf(process.platform === 'linux')(
    'qemu-io writes 1 MiB requests, reads them back and flushes; the bytes land in the export',
    async (ctx) => {
      requireTool(ctx, 'qemu-io');
      const disk = memoryBlockExport(16 * MiB);
      const pair = serveNbdOnSocketPair({
        exports: (name) => (name === 'disk' ? disk : undefined),
      });
      try {
        const ran = qemuIoOnDescriptor(pair.clientDescriptor, [
          'write -P 0xab 1M 1M',
          'write -P 0xcd -f 4M 1M',
          'read -P 0xab 1M 1M',
          'read -P 0xcd 4M 1M',
          'flush',
        ]);
        // The client holds its own copy once spawned: this process's copy goes.
        pair.releaseClientDescriptor();
        const result = await ran;
        expect(result.output).not.toMatch(/Pattern verification failed|error|failed/i);
        expect(result.status).toBe(0);
        expect(disk.bytes.subarray(MiB, 2 * MiB).every((b) => b === 0xab)).toBe(true);
        expect(disk.bytes.subarray(4 * MiB, 5 * MiB).every((b) => b === 0xcd)).toBe(true);
        expect(pair.counts.writes).toBe(2);
        expect(pair.counts.flushes).toBeGreaterThanOrEqual(1);
      } finally {
        await pair.close();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'qemu-img convert -W -m 8 writes 32 MiB in parallel, requests arriving back to back; the export holds the file byte for byte',
    async (ctx) => {
      requireTool(ctx, 'qemu-img');
      const dir = await mkdtemp(join(tmpdir(), 'hvm-nbd-pair-'));
      const disk = memoryBlockExport(32 * MiB);
      const pair = serveNbdOnSocketPair({
        exports: (name) => (name === 'disk' ? disk : undefined),
      });
      try {
        const source = Buffer.alloc(32 * MiB);
        for (let i = 0; i < source.length; i += 512) source.writeUInt32LE(i / 512 + 1, i);
        const sourceFile = join(dir, 'source.raw');
        await writeFile(sourceFile, source);
        const ran = runOnDescriptor(pair.clientDescriptor, 'qemu-img', [
          'convert',
          '-n',
          '-W',
          '-m',
          '8',
          '-S',
          '0',
          '-f',
          'raw',
          '--target-image-opts',
          sourceFile,
          ON_DESCRIPTOR_3,
        ]);
        pair.releaseClientDescriptor();
        const result = await ran;
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
        expect(Buffer.compare(Buffer.from(disk.bytes), source)).toBe(0);
      } finally {
        await pair.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.runIf(process.platform === 'linux')(
    'close ends the connection: the client sees its disk go, and close resolves',
    async () => {
      const disk = memoryBlockExport(MiB);
      const pair = serveNbdOnSocketPair({ exports: () => disk });
      await pair.close();
      // Released by close: releasing again does nothing (the descriptor is not closed twice).
      expect(() => pair.releaseClientDescriptor()).not.toThrow();
    },
  );
});
