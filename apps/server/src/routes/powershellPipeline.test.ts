// `Get-VM | Get-VMSnapshot` through the server's script worker, whose host reads cross to the main
// thread ahead in one go (@hvm/powershell hostReadAhead) and whose output objects come back as one
// JSON buffer (powershell/objectsJson.ts): the answer is the one the same script gives in process.
import type { PowerShellResult } from '@hvm/powershell';
import { runPowerShell } from '@hvm/powershell';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

describe('Get-VM | Get-VMSnapshot in the console', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    for (const name of ['Web', 'Db', 'Cache']) {
      const vm = await createVm(t.app, name);
      for (let c = 1; c <= 3; c++) await t.host.createCheckpoint(vm.id, { name: `${name} ${c}` });
    }
  });

  async function run(script: string): Promise<PowerShellResult> {
    const response = await request(t.app).post('/api/v1/powershell').send({ script });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return response.body as PowerShellResult;
  }

  it('answers the objects, the console text and the object types the script gives in process', async () => {
    const script = 'Get-VM | Get-VMSnapshot';
    const inProcess = await runPowerShell(t.host, script);
    const answer = await run(script);
    expect(answer.errors).toEqual([]);
    expect(answer.objects).toHaveLength(9);
    expect(answer.objects).toEqual(JSON.parse(JSON.stringify(inProcess.objects)));
    expect(answer.output).toBe(inProcess.output);
    expect(answer.objectTypes).toEqual(inProcess.objectTypes);
  });

  it('sees what the script changed after reading ahead, and a VM removed meanwhile is not found', async () => {
    const answer = await run(
      'Get-VM | Get-VMSnapshot | Out-Null; Checkpoint-VM -Name Web -SnapshotName Later; (Get-VM -Name Web | Get-VMSnapshot).Name; $db = Get-VM -Name Db; Remove-VM -Name Db -Force; $db | Get-VMSnapshot',
    );
    expect(answer.objects).toEqual(['Web 1', 'Web 2', 'Web 3', 'Later']);
    expect(answer.errors.map((e) => e.fullyQualifiedErrorId)).toHaveLength(1);
    expect(answer.errors[0]?.text).toMatch(/unable to find a virtual machine/i);
  });

  it('an answer without objects still carries every field', async () => {
    const answer = await run("'text' | Out-Null");
    expect(answer).toMatchObject({ status: 'completed', objects: [], errors: [], exitCode: 0 });
  });
});
