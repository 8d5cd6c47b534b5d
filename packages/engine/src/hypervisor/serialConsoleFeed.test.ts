import { SerialConsole } from '@hvm/qemu';
import { describe, expect, it } from 'vitest';
import { SerialConsoleFeed } from './serialConsoleFeed.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe("a VM's serial console as its viewers see it", () => {
  it('gives a new viewer the recent output, then what the guest prints, until it disconnects', () => {
    const feed = new SerialConsoleFeed();
    const guest = new SerialConsole();
    feed.follow(guest);
    guest.push(Buffer.from('HVM-READY\r\n~ # '));
    const seen: string[] = [];
    const connection = feed.connect({ output: (bytes) => seen.push(text(bytes)) });
    expect(text(connection.backlog)).toBe('HVM-READY\r\n~ # ');
    guest.push(Buffer.from('uname\r\n'));
    connection.disconnect();
    guest.push(Buffer.from('Linux\r\n'));
    expect(seen).toEqual(['uname\r\n']);
    expect(feed.viewerCount).toBe(0);
  });

  it('keeps only the most recent output for later viewers, however much the guest prints', () => {
    const feed = new SerialConsoleFeed(1024);
    for (let i = 0; i < 1000; i += 1) feed.push(Buffer.from(`line ${i}\r\n`));
    feed.push(Buffer.from('x'.repeat(5000)));
    const backlog = feed.connect({ output: () => undefined }).backlog;
    expect(backlog.length).toBe(1024);
    expect(text(backlog)).toBe('x'.repeat(1024));
  });

  it('follows the guest of each run: a viewer stays connected while the VM is saved and started again', () => {
    const feed = new SerialConsoleFeed();
    const firstRun = new SerialConsole();
    const secondRun = new SerialConsole();
    const seen: string[] = [];
    feed.connect({ output: (bytes) => seen.push(text(bytes)) });
    feed.follow(firstRun);
    firstRun.push(Buffer.from('before save\r\n'));
    feed.follow(secondRun);
    firstRun.push(Buffer.from('from a process that has ended\r\n'));
    secondRun.push(Buffer.from('after start\r\n'));
    expect(seen).toEqual(['before save\r\n', 'after start\r\n']);
  });

  it('counts the same viewer connected twice as two connections', () => {
    const feed = new SerialConsoleFeed();
    const seen: string[] = [];
    const viewer = { output: (bytes: Uint8Array) => seen.push(text(bytes)) };
    const first = feed.connect(viewer);
    feed.connect(viewer);
    first.disconnect();
    feed.push(Buffer.from('a'));
    expect(seen).toEqual(['a']);
    expect(feed.viewerCount).toBe(1);
  });
});
