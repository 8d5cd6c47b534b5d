// The console text a run keeps is bounded (RunLimits.maxOutputChars), but PowerShell's console
// prints all of a script's output: a script is not ended for the text it writes. What is past the
// bound is left out, and the run ends with a line saying how much, and how many objects it wrote.
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

describe('console text over the bound', () => {
  test('the script runs to its end; the text is cut and a warning says what was left out', async () => {
    const { host } = await createTestHost();
    const script = "1..500 | ForEach-Object { 'x' * 50 }; New-VM -Name 'After' -NoVHD | Out-Null";
    const r = await runPowerShell(host, script, { limits: { maxOutputChars: 2_000 } });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.hadTerminatingError).toBe(false);
    expect(host.findVmsByName('After')).toHaveLength(1);
    expect(r.objects).toHaveLength(500);
    const notice =
      'WARNING: The output was cut after 2000 characters (a limit of this server, not of PowerShell): ' +
      '23500 more characters were not shown. The script wrote 500 output objects in all and ran to its end. ' +
      'To see a part, filter or page the output (Where-Object, Select-Object -First/-Skip).\n';
    expect(r.output).toBe(`${'x'.repeat(50)}\n`.repeat(500).slice(0, 2_000) + notice);
    expect(r.messages).toEqual([{ stream: 'warning', text: notice }]);
  });

  test('Get-VM | Get-VMSnapshot over the bound shows the start of the table and counts every checkpoint', async () => {
    const { host } = await createTestHost();
    for (let v = 1; v <= 3; v++) {
      const vm = await buildVm(host, { name: `VM${v}` });
      for (let c = 1; c <= 10; c++) await host.createCheckpoint(vm.id, { name: `C${c}` });
    }
    const whole = await runPowerShell(host, 'Get-VM | Get-VMSnapshot');
    const r = await runPowerShell(host, 'Get-VM | Get-VMSnapshot', {
      limits: { maxOutputChars: 500 },
    });
    expect(r.errors).toEqual([]);
    expect(r.objects).toHaveLength(30);
    expect(r.output.startsWith(whole.output.slice(0, 500))).toBe(true);
    expect(r.output.slice(500)).toContain(
      `${whole.output.length - 500} more characters were not shown. The script wrote 30 output objects in all`,
    );
  });

  test('text within the bound is kept whole, with no warning', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, "'a'; 'b'", { limits: { maxOutputChars: 4 } });
    expect(r.output).toBe('a\nb\n');
    expect(r.messages).toEqual([]);
  });
});
