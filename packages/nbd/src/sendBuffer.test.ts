import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enlargeSendBuffer } from './sendBuffer.js';

describe('the send buffer of a connection', () => {
  it.runIf(process.platform === 'linux')(
    'is enlarged on an accepted Unix socket, which still carries a 1 MiB message whole',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'nbd-sndbuf-'));
      const path = join(dir, 's.sock');
      const accepted = new Promise<Socket>((resolve) => {
        const server = createServer((socket) => {
          server.close();
          resolve(socket);
        });
        server.listen(path);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const client = connect(path);
      const socket = await accepted;
      try {
        expect(enlargeSendBuffer(socket, 4 * 2 ** 20)).toBe(true);
        const message = Buffer.alloc(2 ** 20, 0x5a);
        const received: Buffer[] = [];
        let length = 0;
        const whole = new Promise<void>((resolve) =>
          client.on('data', (chunk: Buffer) => {
            received.push(chunk);
            length += chunk.length;
            if (length >= message.length) resolve();
          }),
        );
        socket.write(message);
        await whole;
        expect(Buffer.concat(received).equals(message)).toBe(true);
      } finally {
        client.destroy();
        socket.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
