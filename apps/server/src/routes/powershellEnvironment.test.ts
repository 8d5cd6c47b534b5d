import type { PowerShellResult } from '@hvm/powershell';
import request from 'supertest';
import { expect, it } from 'vitest';
import { createTestApp } from '../testing/testApp.js';

it("gives a script only COMPUTERNAME and the signed-in USERNAME in $env:, never the server's environment", async () => {
  process.env.HVM_SERVER_SECRET = 'do-not-leak';
  try {
    const t = await createTestApp();
    const response = await request(t.app).post('/api/v1/powershell').send({
      script:
        '$env:COMPUTERNAME -eq (Get-VMHost).Name\n$env:USERNAME\n"[$env:HVM_SERVER_SECRET][$env:PATH]"',
    });
    expect(response.status, response.text).toBe(200);
    const result = response.body as PowerShellResult;
    expect(result.errors).toEqual([]);
    expect(result.objects).toEqual([true, 'Administrator', '[][]']);
  } finally {
    delete process.env.HVM_SERVER_SECRET;
  }
});
