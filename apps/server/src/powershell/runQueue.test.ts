import type { Host } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { RunQueueFullError, runQueued } from './runQueue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('runQueued', () => {
  it('runs the work of one host one at a time, in order, even after a failure', async () => {
    const host = {} as Host;
    const log: string[] = [];
    const gate = deferred();
    const first = runQueued(host, async () => {
      log.push('first start');
      await gate.promise;
      log.push('first end');
      throw new Error('boom');
    });
    const second = runQueued(host, () => {
      log.push('second');
      return Promise.resolve(2);
    });
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('does not make two hosts wait for each other', async () => {
    const gate = deferred();
    const slow = runQueued({} as Host, () => gate.promise);
    await expect(runQueued({} as Host, () => Promise.resolve('other'))).resolves.toBe('other');
    gate.resolve();
    await slow;
  });
});

describe('runQueued with a bound', () => {
  it('refuses a run beyond the waiting bound at once, and takes runs again once one started', async () => {
    const host = {} as Host;
    const gate = deferred();
    const running = runQueued(host, () => gate.promise, 1);
    const waiting = runQueued(host, () => Promise.resolve('waited'), 1);
    expect(() => runQueued(host, () => Promise.resolve('third'), 1)).toThrow(RunQueueFullError);
    gate.resolve();
    await running;
    await expect(waiting).resolves.toBe('waited');
    await expect(runQueued(host, () => Promise.resolve('later'), 1)).resolves.toBe('later');
  });
});
