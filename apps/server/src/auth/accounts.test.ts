import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { accountNameProblem, accountStore, accountsFilePath } from './accountStore.js';
import { AccountsCommandError, runAccountsCommand } from './accountsCommand.js';
import { ensureFirstAdministrator } from './firstAdministrator.js';
import { hashPassword, verifyPassword } from './passwords.js';

const newDataDir = () => mkdtempSync(join(tmpdir(), 'hvm-accounts-'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

function io(dataDir: string, passwords: string[] = []) {
  const printed: string[] = [];
  return {
    printed,
    io: {
      store: accountStore(dataDir),
      readPassword: () => Promise.resolve(passwords.shift() ?? ''),
      print: (line: string) => printed.push(line),
      now: () => new Date('2024-03-05T14:07:09.000Z'),
    },
  };
}

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified only with the same password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first.algorithm).toBe('scrypt');
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
    expect(JSON.stringify(first)).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', first)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', first)).resolves.toBe(false);
    await expect(verifyPassword('', first)).resolves.toBe(false);
  });
});

describe('the accounts file', () => {
  it('is written atomically with mode 0600 and leaves no temporary file', async () => {
    const dataDir = newDataDir();
    const { io: cli } = io(dataDir, ['first password']);
    await runAccountsCommand(['add', 'Olivia', '--role', 'reader'], cli);
    const path = accountsFilePath(dataDir);
    expect(path).toBe(join(dataDir, 'Security', 'accounts.json'));
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(join(dataDir, 'Security'))).toEqual(['accounts.json']);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('first password');
    expect(JSON.parse(text)).toMatchObject({
      version: 1,
      accounts: [{ name: 'Olivia', role: 'reader', virtualMachines: [] }],
    });
  });

  it('keeps the old accounts and leaves no temporary file when a write fails (disk full)', async () => {
    const dataDir = newDataDir();
    const { io: cli } = io(dataDir, ['first password', 'second password']);
    await runAccountsCommand(['add', 'Olivia', '--role', 'reader'], cli);
    const before = readFileSync(accountsFilePath(dataDir), 'utf8');
    const probe = await open(join(dataDir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as typeof probe;
    await probe.close();
    const diskFull = vi
      .spyOn(fileHandle, 'writeFile')
      .mockRejectedValueOnce(
        Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      );
    try {
      await expect(
        runAccountsCommand(['add', 'Oscar', '--role', 'reader'], cli),
      ).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      diskFull.mockRestore();
    }
    expect(readdirSync(join(dataDir, 'Security'))).toEqual(['accounts.json']);
    expect(readFileSync(accountsFilePath(dataDir), 'utf8')).toBe(before);
  });

  it('refuses user names Windows refuses', () => {
    for (const name of ['', ' x', 'a/b', 'a:b', 'x'.repeat(21), '..', 'a@b']) {
      expect(accountNameProblem(name), name).not.toBeNull();
    }
    expect(accountNameProblem('Olivia Smith')).toBeNull();
  });
});

describe('first start with sign-in required', () => {
  it('creates Administrator with a random password in a file only the owner can read', async () => {
    const dataDir = newDataDir();
    const store = accountStore(dataDir);
    const passwordFile = await ensureFirstAdministrator(store);
    expect(passwordFile).toBe(join(dataDir, 'Security', 'initial-administrator-password.txt'));
    if (passwordFile === null) return;
    expect(modeOf(passwordFile)).toBe(0o600);
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    const admin = store.find('Administrator');
    expect(admin?.role).toBe('administrator');
    if (admin === undefined) return;
    await expect(verifyPassword(password, admin.password)).resolves.toBe(true);
    await expect(ensureFirstAdministrator(store)).resolves.toBeNull();
  });
});

describe('the accounts command', () => {
  it('adds, lists, changes and removes accounts', async () => {
    const dataDir = newDataDir();
    const { io: cli, printed } = io(dataDir, [
      'admin password',
      'operator password',
      'new password',
    ]);
    await runAccountsCommand(['add', 'Administrator', '--role', 'administrator'], cli);
    await runAccountsCommand(
      ['add', 'Oscar', '--role', 'checkpoint-operator', '--vm', 'Web', '--vm', 'Db'],
      cli,
    );
    await runAccountsCommand(['list'], cli);
    expect(printed).toContain('Oscar\tCheckpoint Operator (virtual machines: Web, Db)');
    expect(printed).toContain('Administrator\tAdministrator');

    const before = cli.store.find('oscar');
    await runAccountsCommand(['set-password', 'oscar'], cli);
    const after = cli.store.find('Oscar');
    expect(after?.password.hash).not.toBe(before?.password.hash);
    if (after === undefined) return;
    await expect(verifyPassword('new password', after.password)).resolves.toBe(true);

    await runAccountsCommand(['set-role', 'Oscar', '--role', 'reader'], cli);
    expect(cli.store.find('Oscar')).toMatchObject({ role: 'reader', virtualMachines: [] });
    await runAccountsCommand(['remove', 'Oscar'], cli);
    expect(cli.store.list().map((account) => account.name)).toEqual(['Administrator']);
  });

  it('says clearly what is wrong', async () => {
    const dataDir = newDataDir();
    const { io: cli } = io(dataDir, ['admin password', 'short']);
    await runAccountsCommand(['add', 'Administrator', '--role', 'administrator'], cli);
    const failures: [string[], RegExp][] = [
      [['add', 'Administrator', '--role', 'reader'], /already exists/],
      [['add', 'Olivia', '--role', 'reader'], /at least 8 characters/],
      [['add', 'Olivia'], /Give the role with --role/],
      [['add', 'Olivia', '--role', 'owner'], /role must be one of/],
      [['add', 'Olivia', '--role', 'reader', '--vm', 'Web'], /checkpoint-operator role only/],
      [['remove', 'Administrator'], /last Administrator cannot be removed/],
      [['set-role', 'Administrator', '--role', 'reader'], /last Administrator cannot lose/],
      [['set-password', 'Nobody'], /There is no account "Nobody"/],
      [['rename', 'x'], /Unknown command/],
    ];
    for (const [args, message] of failures) {
      await expect(runAccountsCommand(args, cli), args.join(' ')).rejects.toThrow(message);
      await expect(runAccountsCommand(args, cli)).rejects.toBeInstanceOf(AccountsCommandError);
    }
  });
});
