import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

/**
 * A run whose limits allow large arrays handles them whole: no step spreads an array into
 * function arguments, which overflows the stack past about 120,000 items.
 */
describe('large collections within raised limits', () => {
  test('262,144 items reach the output and Measure-Object', async () => {
    const { host } = await createTestHost();
    const script = [
      '$a = 1, 2',
      ...Array.from({ length: 17 }, () => '$a = @($a; $a)'),
      '($a | Measure-Object -Maximum -Minimum).Maximum',
      '$a',
    ].join('\n');
    const result = await runPowerShell(host, script, {
      limits: {
        maxCollectionItems: 300_000,
        maxOutputObjects: 300_000,
        maxOutputChars: 10_000_000,
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.objects).toHaveLength(1 + 262_144);
    expect(result.objects[0]).toBe(2);
  });
});
