import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import { applyFormatString } from './formatCmdlets.js';

describe('Format-Table', () => {
  test('-Wrap continues a long cell on the next lines instead of cutting it', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'Web-01' });
    const script = `'{"Name":"Web-01","Note":"one two three four five six"}' | ConvertFrom-Json | Format-Table -Wrap`;
    const wrapped = await runPowerShell(host, script, { width: 20 });
    expect(wrapped.output).toBe(
      '\nName   Note\n----   ----\nWeb-01 one two three\n       four five six\n\n',
    );
    const cut = await runPowerShell(host, script.replace(' -Wrap', ''), { width: 20 });
    expect(cut.output).toBe('\nName   Note\n----   ----\nWeb-01 one two th...\n\n');
  });

  test('FormatString: N, F, D and P numbers, and date formats', () => {
    expect(applyFormatString(1234.5, 'N2')).toBe('1,234.50');
    expect(applyFormatString(1234.5, 'F1')).toBe('1234.5');
    expect(applyFormatString(7, 'D3')).toBe('007');
    expect(applyFormatString(0.25, 'P0')).toBe('25 %');
    expect(applyFormatString(new Date(2026, 11, 6), 'yyyy-MM-dd')).toBe('2026-12-06');
    expect(applyFormatString('text', 'N2')).toBe('text');
  });
});
