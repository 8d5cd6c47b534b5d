import { closeSync, readSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fdWatcher } from './fdWatcher.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, libcCalls } from './libc.js';

function eventfd(): number {
  const calls = libcCalls();
  if (calls === null) throw new Error('no C library calls on this host');
  return calls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

const one = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);

describe('the process-wide descriptor watcher', () => {
  it('calls the handler of each descriptor that becomes readable, on the main thread, until unwatched', async () => {
    const first = eventfd();
    const second = eventfd();
    const seen: string[] = [];
    let wake: () => void = () => undefined;
    const drain = (fd: number, name: string) => () => {
      readSync(fd, new Uint8Array(8));
      seen.push(name);
      wake();
    };
    const unwatchFirst = fdWatcher().watch(first, drain(first, 'first'));
    const unwatchSecond = fdWatcher().watch(second, drain(second, 'second'));
    const next = (): Promise<void> => new Promise((resolve) => (wake = resolve));
    let woken = next();
    writeSync(second, one);
    await woken;
    woken = next();
    writeSync(first, one);
    await woken;
    expect(seen).toEqual(['second', 'first']);

    unwatchFirst();
    writeSync(first, one);
    woken = next();
    writeSync(second, one);
    await woken;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['second', 'first', 'second']);
    unwatchSecond();
    closeSync(first);
    closeSync(second);
  });

  it('stops watching a descriptor closed while watched, instead of polling it again and again', async () => {
    // poll(2) reports POLLNVAL at once for a closed descriptor: watched on, it would keep a
    // pool thread and the main thread busy for good.
    const other = eventfd();
    const closed = eventfd();
    let calls = 0;
    const unwatch = fdWatcher().watch(closed, () => calls++);
    closeSync(closed);
    let woken: () => void = () => undefined;
    const unwatchOther = fdWatcher().watch(other, () => {
      readSync(other, new Uint8Array(8));
      woken();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBeLessThanOrEqual(1);
    const wake = new Promise<void>((resolve) => (woken = resolve));
    writeSync(other, one);
    await wake;
    unwatch();
    unwatchOther();
    closeSync(other);
  });
});
