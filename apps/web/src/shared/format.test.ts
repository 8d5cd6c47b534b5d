import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

describe('formatBytes writes sizes as Windows does', () => {
  it.each([
    [512, '512 bytes'],
    [4 * 1024 * 1024, '4.00 MB'],
    [12.5 * 1024 * 1024, '12.5 MB'],
    [12.56 * 1024 * 1024, '12.5 MB'],
    [127 * 1024 ** 3, '127 GB'],
    [1000 * 1024, '0.97 MB'],
  ])('%d bytes is "%s"', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
