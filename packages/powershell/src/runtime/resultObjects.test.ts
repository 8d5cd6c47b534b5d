// A client that shows only the console text (the web console, hvps) asks for a result without
// the output objects (RunOptions.objects = false): the console text, the error records and the
// limits are those of the same run with them.
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

async function hostWithCheckpoints() {
  const { host } = await createTestHost();
  for (let v = 1; v <= 2; v++) {
    const vm = await buildVm(host, { name: `VM${v}` });
    for (let c = 1; c <= 3; c++) await host.createCheckpoint(vm.id, { name: `C${c}` });
  }
  return host;
}

describe('a result without its output objects', () => {
  test('has the same console text, errors and exit code, and no objects or their types', async () => {
    const host = await hostWithCheckpoints();
    const script = 'Get-VM | Get-VMSnapshot; Get-VM -Name NoSuch';
    const whole = await runPowerShell(host, script);
    const r = await runPowerShell(host, script, { objects: false });
    expect(whole.objects).toHaveLength(6);
    expect(whole.objectTypes).toEqual([['Microsoft.HyperV.PowerShell.VMSnapshot', 6]]);
    expect(r).not.toHaveProperty('objectTypes');
    expect(r).toEqual({ ...whole, objects: [], objectTypes: undefined });
  });

  test('the objects still count against the limit of output objects', async () => {
    const host = await hostWithCheckpoints();
    const r = await runPowerShell(host, 'Get-VM | Get-VMSnapshot', {
      objects: false,
      limits: { maxOutputObjects: 4 },
    });
    expect(r.hadTerminatingError).toBe(true);
    expect(r.objects).toEqual([]);
    expect(r.errors[0]?.message).toContain('more than 4 output objects');
  });
});
