import { createTestHost } from '@hvm/engine/testing';
import { afterEach, expect, test, vi } from 'vitest';
import { runPowerShell } from '../index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

test("$env: holds only the host's name unless the caller gives an environment", async () => {
  vi.stubEnv('HVM_TEST_SECRET', 'do-not-leak');
  const { host } = await createTestHost();
  const r = await runPowerShell(
    host,
    '$env:COMPUTERNAME\n"[$env:HVM_TEST_SECRET]"\n$env:PATH -eq $null',
  );
  expect(r.objects).toEqual([host.info().name, '[]', true]);
});

test('$env: reads the given environment without case, and a change stays in the run', async () => {
  const { host } = await createTestHost();
  const environment = { USERNAME: 'olivia', COMPUTERNAME: 'HV-01' };
  const r = await runPowerShell(
    host,
    '"$env:username on ${env:ComputerName}"\n$env:Temp = "x"\n$env:TEMP\n$env:Temp = $null\n$null -eq $env:temp',
    { environment },
  );
  expect(r.objects).toEqual(['olivia on HV-01', 'x', true]);
  expect(environment).toEqual({ USERNAME: 'olivia', COMPUTERNAME: 'HV-01' });
});

test('$global: and $script: name the script scope, $local: this one', async () => {
  const { host } = await createTestHost();
  const r = await runPowerShell(
    host,
    '$script:count = 1\nfunction Add-One { $script:count++; $local:count = 10; $count; $global:seen = $true }\nAdd-One\n$count\n$seen',
  );
  expect(r.errors).toEqual([]);
  expect(r.objects).toEqual([10, 2, true]);
});
