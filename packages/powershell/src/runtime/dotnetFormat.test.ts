/** .NET format strings as .NET Framework (en-US) applies them. */
import { describe, expect, test } from 'vitest';
import { formatNumber, formatTimeSpan, formatValue } from './dotnetFormat.js';
import { numberText } from './numberText.js';
import { TimeSpan } from './values.js';

describe('numbers', () => {
  test.each([
    [3.14159, 'N2', '3.14'],
    [1234567.891, 'N2', '1,234,567.89'],
    [-1234.5, 'N0', '-1,235'],
    [2.675, 'F2', '2.68'],
    [7, 'D3', '007'],
    [255, 'X', 'FF'],
    [255, 'x4', '00ff'],
    [0.1234, 'P', '12.34 %'],
    [1234.5, 'C', '$1,234.50'],
    [-5, 'C', '($5.00)'],
    [12345.678, 'E2', '1.23E+004'],
    [4, '0.0', '4.0'],
    [1234567, '#,##0', '1,234,567'],
    [0.5, '0%', '50%'],
  ])('%d formatted %s is %s', (n, format, expected) => {
    expect(formatNumber(n, format)).toBe(expected);
  });

  test('the general form has 15 significant digits and exponents past them', () => {
    expect(numberText(1 / 3)).toBe('0.333333333333333');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(0.000001)).toBe('1E-06');
    expect(numberText(42)).toBe('42');
  });
});

describe('dates and time spans', () => {
  const date = new Date(2024, 2, 9, 14, 5, 7, 123);
  test.each([
    ['yyyy-MM-dd', '2024-03-09'],
    ['d', '3/9/2024'],
    ['dddd, MMMM d', 'Saturday, March 9'],
    ['hh:mm tt', '02:05 PM'],
    ['HH:mm:ss.fff', '14:05:07.123'],
    ["yyyy'T'HH", '2024T14'],
  ])('%s', (format, expected) => {
    expect(formatValue(date, format, String)).toBe(expected);
  });

  test('an unknown one-letter date format is a FormatException, as in .NET', () => {
    expect(() => formatValue(date, 'Q', String)).toThrow(
      'Input string was not in a correct format.',
    );
  });

  test('TimeSpan c, g and custom formats', () => {
    const span = new TimeSpan(86_400_000 + 3_723_500);
    expect(formatTimeSpan(span, 'c')).toBe('1.01:02:03.5000000');
    expect(formatTimeSpan(span, 'g')).toBe('1:1:02:03.5');
    expect(formatTimeSpan(span, 'hh\\:mm')).toBe('01:02');
    expect(String(new TimeSpan(4_107_881))).toBe('01:08:27.8810000');
  });
});
