import { describe, expect, it } from 'vitest';
import { SerialConsole } from './serialConsole.js';

describe("the guest's serial console as the host keeps it", () => {
  it('hands complete lines to listeners across chunks, without the carriage return', async () => {
    const serial = new SerialConsole();
    const lines: string[] = [];
    serial.onLine((line) => lines.push(line));
    const ready = serial.waitForLine(/^HVM-READY$/, 1000);
    serial.push(Buffer.from('HVM-BOOT id=ab'));
    serial.push(Buffer.from('c agent=1\r\nHVM-READY\r\npartial'));
    expect(lines).toEqual(['HVM-BOOT id=abc agent=1', 'HVM-READY']);
    await expect(ready).resolves.toBe('HVM-READY');
  });

  it('keeps only the most recent output and cuts an endless line', () => {
    const serial = new SerialConsole(1024, 64);
    const lines: string[] = [];
    serial.onLine((line) => lines.push(line));
    for (let i = 0; i < 100; i += 1) serial.push(Buffer.from(`line ${i}\n`));
    expect(serial.text().length).toBeLessThanOrEqual(1024);
    expect(serial.text().endsWith('line 99\n')).toBe(true);
    serial.push(Buffer.from('x'.repeat(10_000)));
    serial.push(Buffer.from('\n'));
    expect(lines.at(-1)?.length).toBe(64);
  });

  it('hands every chunk to output listeners as printed, escape sequences and partial lines included, until they stop', () => {
    const serial = new SerialConsole();
    const chunks: string[] = [];
    const stop = serial.onOutput((chunk) => chunks.push(chunk.toString('latin1')));
    serial.push(Buffer.from('\x1b[1m~ # '));
    serial.push(Buffer.from('ls\r\n'));
    stop();
    serial.push(Buffer.from('after'));
    expect(chunks).toEqual(['\x1b[1m~ # ', 'ls\r\n']);
  });
});
