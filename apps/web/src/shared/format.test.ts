import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime } from './format';

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

describe('formatDateTime', () => {
  it('writes a creation time as M/D/YYYY h:mm:ss AM, in local time', () => {
    expect(formatDateTime(new Date(2024, 0, 5, 14, 3, 9).toISOString())).toBe(
      '1/5/2024 2:03:09 PM',
    );
    expect(formatDateTime(new Date(2025, 10, 30, 0, 0, 0).toISOString())).toBe(
      '11/30/2025 12:00:00 AM',
    );
  });

  it('leaves a text that is no time as it is', () => {
    expect(formatDateTime('not a time')).toBe('not a time');
  });
});
