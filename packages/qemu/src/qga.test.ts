import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QgaClient, QgaError, QgaNotAnsweringError } from './qga.js';

/**
 * The host end of a virtio-serial port with a scripted agent behind it. `answer` sees each JSON
 * request the agent's parser would see (after a 0xFF reset byte) and returns the raw bytes to send.
 */
function fakePort(
  answer: (request: Record<string, unknown>) => Buffer | string | undefined,
): Duplex {
  let pending = '';
  const port: Duplex = new Duplex({
    read() {
      /* pushed by write */
    },
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('latin1').replaceAll('\xff', '');
      for (;;) {
        const newline = pending.indexOf('\n');
        if (newline < 0) break;
        const request = JSON.parse(pending.slice(0, newline)) as Record<string, unknown>;
        pending = pending.slice(newline + 1);
        const reply = answer(request);
        if (reply !== undefined) setImmediate(() => port.push(reply));
      }
      done();
    },
  });
  return port;
}

const syncId = (request: Record<string, unknown>): number =>
  (request.arguments as { id: number }).id;

describe('the guest agent client', () => {
  it('resynchronises first: skips stale output up to the 0xFF delimiter and answers that are not its sync id', async () => {
    const agent = new QgaClient(
      fakePort((request) => {
        if (request.execute === 'guest-sync-delimited')
          return Buffer.concat([
            Buffer.from('{"return": {"stale": true}}\n{"ret'),
            Buffer.from([0xff]),
            Buffer.from(`{"return": 7}\n{"return": ${syncId(request)}}\n`),
          ]);
        if (request.execute === 'guest-get-osinfo')
          return '{"return": {"id": "debian", "kernel-release": "6.1.0"}}\n';
        return undefined;
      }),
    );
    await expect(agent.execute('guest-get-osinfo')).resolves.toEqual({
      id: 'debian',
      'kernel-release': '6.1.0',
    });
  });

  it('after a restore: an answer the agent wrote before the save, delimiter and all, does not hide the one to its new sync', async () => {
    // The saved guest's agent had answered a sync the host never read: that answer (its 0xFF in
    // front) reaches the new host first, then the answer to the new sync, with its own 0xFF.
    const agent = new QgaClient(
      fakePort((request) =>
        request.execute === 'guest-sync-delimited'
          ? Buffer.concat([
              Buffer.from([0xff]),
              Buffer.from('{"return": 12345}\n'),
              Buffer.from([0xff]),
              Buffer.from(`{"return": ${syncId(request)}}\n`),
            ])
          : '{"return": {}}\n',
      ),
      { timeoutMs: 500 },
    );
    await expect(agent.ping()).resolves.toBe(true);
  });

  it("passes the agent's error on with its class", async () => {
    const agent = new QgaClient(
      fakePort((request) =>
        request.execute === 'guest-sync-delimited'
          ? Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"return": ${syncId(request)}}\n`)])
          : '{"error": {"class": "CommandNotFound", "desc": "The command guest-fsfreeze-freeze has not been found"}}\n',
      ),
    );
    const failure = agent.execute('guest-fsfreeze-freeze');
    await expect(failure).rejects.toBeInstanceOf(QgaError);
    await expect(failure).rejects.toMatchObject({ errorClass: 'CommandNotFound' });
  });

  it('reports a guest without an agent as not answering, and ping as false', async () => {
    const agent = new QgaClient(
      fakePort(() => undefined),
      { timeoutMs: 50 },
    );
    await expect(agent.execute('guest-info')).rejects.toBeInstanceOf(QgaNotAnsweringError);
    await expect(agent.ping()).resolves.toBe(false);
  });

  it('refuses commands beyond its bounded queue', async () => {
    const agent = new QgaClient(
      fakePort(() => undefined),
      { timeoutMs: 1000, maxQueued: 2 },
    );
    const first = agent.execute('guest-ping').catch(() => 'gone');
    const second = agent.execute('guest-ping').catch(() => 'gone');
    await expect(agent.execute('guest-ping')).rejects.toThrow(/already queued/);
    agent.close();
    await Promise.all([first, second]);
  });
  it('a command on a port already closed fails at once and leaves no answer waiting to fail later', async () => {
    const port = fakePort(() => undefined);
    const agent = new QgaClient(port, { timeoutMs: 50 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      port.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      await expect(agent.execute('guest-ping')).rejects.toThrow(/the guest agent port is closed/);
      await expect(agent.execute('guest-ping')).rejects.toThrow(/the guest agent port is closed/);
      // Past the answer timeout: a wait left behind would have failed with nobody awaiting it.
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
