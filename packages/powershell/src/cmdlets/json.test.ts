import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

describe('ConvertFrom-Json stays inside the run budget', () => {
  test('a document with more values than a collection may hold ends at the limit', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, `('[' + ('1,' * 50) + '1]') | ConvertFrom-Json`, {
      limits: { maxCollectionItems: 20 },
    });
    expect(r.errors[0]?.message).toBe(
      'The JSON text holds more than 20 values. (a limit of this server, not a PowerShell error)',
    );
    expect(r.objects).toEqual([]);
  });

  test('each value is a step', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, `('[' + ('1,' * 500) + '1]') | ConvertFrom-Json`, {
      limits: { maxSteps: 300 },
    });
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
      'ScriptLimitExceeded,Microsoft.PowerShell.Commands.ConvertFromJsonCommand',
    );
  });

  test('input strings are joined with new lines before parsing', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, `'{', '"a": 1', '}' | ConvertFrom-Json | ForEach-Object a`);
    expect(r.output).toBe('1\n');
  });
});
