/**
 * The engine's one name rule and name comparison for accounts and grants: new account names with
 * invisible characters are refused, look-alike spellings are the same account, old names still
 * sign in, and a Checkpoint Operator's grants match VM names as Get-VM -Name does.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmSummary } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { accountNameProblem, accountStore } from './accountStore.js';
import { runAccountsCommand } from './accountsCommand.js';
import { Role } from './roles.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };

function cli(dataDir: string) {
  return {
    store: accountStore(dataDir),
    readPassword: () => Promise.resolve('a good password'),
    print: () => undefined,
  };
}

describe('account names', () => {
  it.each([
    ['Admin\u00ADistrator', 'U+00AD', 6],
    ['Olivia\u0000', 'U+0000', 7],
    ['Oli\u200Bvia', 'U+200B', 4],
    ['\u202EaivilO', 'U+202E', 1],
    ['Olivia\uFE0F', 'U+FE0F', 7],
    ['Oli\u3164via', 'U+3164', 4],
  ])('a new account named %j is refused, naming the character', async (name, codePoint, at) => {
    const message = `The user name cannot contain control characters or invisible formatting characters (${codePoint} at position ${at}).`;
    expect(accountNameProblem(name)).toBe(message);
    const dataDir = mkdtempSync(join(tmpdir(), 'hvm-names-'));
    await expect(
      runAccountsCommand(['add', name, '--role', 'reader'], cli(dataDir)),
    ).rejects.toThrow(message);
    expect(accountStore(dataDir).list()).toEqual([]);
  });

  it('a full-width or differently cased spelling of an account is that account', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hvm-names-'));
    const io = cli(dataDir);
    await runAccountsCommand(['add', 'Administrator', '--role', 'administrator'], io);
    await expect(
      runAccountsCommand(['add', 'ＡＤＭＩＮＩＳＴＲＡＴＯＲ', '--role', 'reader'], io),
    ).rejects.toThrow('The account "Administrator" already exists.');
    expect(io.store.find('ａｄｍｉｎｉｓｔｒａｔｏｒ')?.name).toBe('Administrator');
    expect(io.store.find('Admin\u00ADistrator')).toBeUndefined();
    expect(io.store.find('Administrator\u0000')).toBeUndefined();
  });

  it('an account whose name an older version let in still signs in, under exactly that name', async () => {
    const old = { name: 'Old\u200Buser', role: Role.Reader, password: 'Pa$$w0rd-old' };
    const { app, store } = await createAuthTestApp([admin, old]);
    // As an older version wrote it: the name is in the file as it was typed.
    const file = JSON.parse(readFileSync(store.path, 'utf8')) as { accounts: { name: string }[] };
    expect(file.accounts.map((account) => account.name)).toContain('Old\u200Buser');
    const { session } = await signIn(app, 'Old\u200Buser', old.password);
    expect(session.user?.name).toBe('Old\u200Buser');
    await request(app)
      .post('/api/v1/session')
      .send({ userName: 'Olduser', password: old.password })
      .expect(401);
  });
});

describe('a Checkpoint Operator’s grants', () => {
  it('match VM names as Get-VM -Name does (NFKC, then case), and ids in any case', async () => {
    const operator = {
      name: 'Oscar',
      role: Role.CheckpointOperator,
      password: 'Pa$$w0rd-operator',
      virtualMachines: ['web-01', 'WEB\u00AD-02'],
    };
    const { app, host, store } = await createAuthTestApp([admin, operator]);
    const wide = await host.createVm({ name: 'ＷＥＢ－０１', memoryStartupMB: 512 });
    await host.createVm({ name: 'WEB-02', memoryStartupMB: 512 });
    const db = await host.createVm({ name: 'DB-01', memoryStartupMB: 512 });
    const { agent } = await signIn(app, 'Oscar', operator.password);
    const listed = async () =>
      ((await agent.get('/api/v1/vms').expect(200)).body as VmSummary[]).map((vm) => vm.name);
    // The full-width VM is the granted "web-01"; a grant with a soft hyphen is no VM's name.
    expect(await listed()).toEqual(['ＷＥＢ－０１']);
    await agent.get(`/api/v1/vms/${wide.id}`).expect(200);
    await agent.get(`/api/v1/vms/${db.id}`).expect(404);

    const account = store.find('Oscar');
    if (account === undefined) throw new Error('Oscar is missing');
    await store.save({ ...account, virtualMachines: [db.id.toUpperCase()] });
    expect(await listed()).toEqual(['DB-01']);
  });
});

describe('the accounts command’s --vm grants', () => {
  it.each([
    ['WEB\u00AD-02', 'U+00AD', 4],
    ['DC\u200B-01', 'U+200B', 3],
    ['\u202EDC-01', 'U+202E', 1],
  ])(
    'a grant %j, which looks like a VM name it does not match, is refused naming the character',
    async (grant, codePoint, at) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hvm-names-'));
      const io = cli(dataDir);
      const message = `The virtual machine name cannot contain control characters or invisible formatting characters (${codePoint} at position ${at}).`;
      await expect(
        runAccountsCommand(['add', 'Oscar', '--role', 'checkpoint-operator', '--vm', grant], io),
      ).rejects.toThrow(message);
      expect(io.store.find('Oscar')).toBeUndefined();

      await runAccountsCommand(
        ['add', 'Oscar', '--role', 'checkpoint-operator', '--vm', 'DC-01'],
        io,
      );
      await expect(
        runAccountsCommand(
          ['set-role', 'Oscar', '--role', 'checkpoint-operator', '--vm', grant],
          io,
        ),
      ).rejects.toThrow(message);
      expect(io.store.find('Oscar')?.virtualMachines).toEqual(['DC-01']);
    },
  );

  it('a full-width grant is kept as typed: it matches the VM by the one name rule', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hvm-names-'));
    const io = cli(dataDir);
    await runAccountsCommand(
      ['add', 'Oscar', '--role', 'checkpoint-operator', '--vm', 'ＤＣ－０１'],
      io,
    );
    expect(io.store.find('Oscar')?.virtualMachines).toEqual(['ＤＣ－０１']);
  });
});
