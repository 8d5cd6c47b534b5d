/**
 * Scripts on the server read and write files in a folder of their user's own, the drive `Files:\`
 * (scriptFiles.ts): two users never see each other's files, and no record shows the real folder.
 * Only the roles that may run PowerShell (Administrators: auth/roles.ts) have script files.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import { defaultPowerShellLimits } from './limits.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';
import { userFilesFolder } from './scriptFiles.js';

const accounts = {
  alice: { name: 'Alice', role: Role.Administrator, password: 'Pa$$w0rd-alice' },
  ada: { name: 'Ada', role: Role.Administrator, password: 'Pa$$w0rd-ada' },
  olivia: { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-olivia' },
};

interface RunBody {
  status: string;
  output: string;
  errors: { fullyQualifiedErrorId: string; message: string }[];
}

async function run(who: SignedIn, script: string): Promise<RunBody> {
  const res = await who.agent
    .post('/api/v1/powershell')
    .set('X-CSRF-Token', who.csrfToken)
    .send({ script });
  expect(res.status, res.text).toBe(200);
  return res.body as RunBody;
}

describe('script files on the server', () => {
  let filesRoot: string;
  beforeEach(async () => {
    filesRoot = await mkdtemp(join(tmpdir(), 'ps-files-'));
  });
  afterEach(async () => {
    await rm(filesRoot, { recursive: true, force: true });
  });

  async function world() {
    const t = await createAuthTestApp(Object.values(accounts), {
      app: { powerShell: { limits: defaultPowerShellLimits, filesRoot } },
    });
    return {
      alice: await signIn(t.app, accounts.alice.name, accounts.alice.password),
      ada: await signIn(t.app, accounts.ada.name, accounts.ada.password),
      olivia: await signIn(t.app, accounts.olivia.name, accounts.olivia.password),
    };
  }

  it("each user has a folder of their own: one user's file does not exist for the other", async () => {
    const as = await world();
    const written = await run(
      as.alice,
      "'alice only' > secret.txt; Get-Content secret.txt; $PWD.Path",
    );
    expect(written.errors).toEqual([]);
    expect(written.output).toBe('alice only\nFiles:\\\n');
    const other = await run(as.ada, 'Get-Content secret.txt; Test-Path Files:\\secret.txt');
    expect(other.errors.map((e) => e.message)).toEqual([
      "Cannot find path 'Files:\\secret.txt' because it does not exist.",
    ]);
    expect(other.output).toContain('False\n');
    expect(await readdir(userFilesFolder(filesRoot, 'Alice'))).toEqual(['secret.txt']);
  });

  it('a report is written and read back; escapes land inside the folder and the real folder stays hidden', async () => {
    const as = await world();
    const report = await run(
      as.ada,
      [
        'Get-VM | Export-Csv vms.csv -NoTypeInformation',
        '@(Import-Csv vms.csv).Count -ge 0',
        'Get-Content ..\\..\\..\\etc\\passwd',
        'Get-Content /etc/passwd',
        'Set-Location ..; (Get-Location).Path',
      ].join('\n'),
    );
    expect(report.output).toContain('True\n');
    expect(report.output).toContain('Files:\\\n');
    expect(report.errors.map((e) => e.fullyQualifiedErrorId)).toEqual([
      'PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand',
      'PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand',
    ]);
    expect(report.output).not.toContain(filesRoot);
    expect(await readdir(userFilesFolder(filesRoot, 'ADA'))).toEqual(['vms.csv']);
  });

  it('GET/DELETE /powershell/files: the own files of the user only; a Reader has none (403)', async () => {
    const as = await world();
    await run(as.alice, "'report' > report.txt");
    const list = await as.alice.agent.get('/api/v1/powershell/files').expect(200);
    expect(list.body).toMatchObject({ files: [{ name: 'report.txt', length: 18 }] });
    const file = await as.alice.agent.get('/api/v1/powershell/files/report.txt').expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="report.txt"/);
    expect(Buffer.from(file.body as Buffer).toString('utf16le')).toBe('\ufeffreport\r\n');
    // Ada's folder has no report; escapes and device names are simply not there.
    await as.ada.agent.get('/api/v1/powershell/files/report.txt').expect(404);
    expect((await as.ada.agent.get('/api/v1/powershell/files').expect(200)).body).toEqual({
      files: [],
    });
    await as.alice.agent.get('/api/v1/powershell/files/..%2F..%2Fetc%2Fpasswd').expect(404);
    await as.alice.agent.get('/api/v1/powershell/files/CON').expect(404);
    await as.olivia.agent.get('/api/v1/powershell/files').expect(403);
    await as.alice.agent
      .delete('/api/v1/powershell/files/report.txt')
      .set('X-CSRF-Token', as.alice.csrfToken)
      .expect(204);
    await as.alice.agent.get('/api/v1/powershell/files/report.txt').expect(404);
  });
});
