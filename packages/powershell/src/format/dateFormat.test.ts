import { describe, expect, test } from 'vitest';
import { formatDate, formatUFormat, longDateTime } from './dateFormat.js';

const date = new Date(2026, 11, 6, 3, 4, 5, 60);

describe('.NET date formats (en-US)', () => {
  test('custom specifiers, quoted literals and escapes', () => {
    expect(formatDate(date, 'yyyy-MM-dd HH:mm:ss.fff')).toBe('2026-12-06 03:04:05.060');
    expect(formatDate(date, 'd/M/yy h:m:s tt')).toBe('6/12/26 3:4:5 AM');
    expect(formatDate(date, "'day' d \\a\\t h")).toBe('day 6 at 3');
    expect(formatDate(date, '%d')).toBe('6');
    expect(formatDate(date, 'fffffff FFF')).toBe('0600000 06');
  });

  test('zzz is the local offset', () => {
    const minutes = -date.getTimezoneOffset();
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    const expected = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    expect(formatDate(date, 'zzz')).toBe(expected);
    expect(formatDate(date, 'o')).toBe(`2026-12-06T03:04:05.0600000${expected}`);
  });

  test('midnight and noon on the 12-hour clock', () => {
    expect(formatDate(new Date(2026, 0, 1, 0, 0, 0), 'h tt')).toBe('12 AM');
    expect(formatDate(new Date(2026, 0, 1, 12, 0, 0), 'hh tt')).toBe('12 PM');
  });

  test('the long form Out-Default shows, and -UFormat', () => {
    expect(longDateTime(date)).toBe('Sunday, December 6, 2026 3:04:05 AM');
    expect(formatUFormat(date, '%D %T %e %p %%')).toBe('12/06/26 03:04:05  6 AM %');
  });
});
