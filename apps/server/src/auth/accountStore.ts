/**
 * Local accounts in `<data folder>/Security/accounts.json` (mode 0600), written atomically
 * (`@hvm/filestore`): a temporary file is written and flushed, then renamed over the old one. The store re-reads the
 * file when it changed on disk, so that the `accounts` command takes effect without a restart.
 */
import { statSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { forbiddenNameCharacter, forbiddenNameCharacterMessage, sameName } from '@hvm/engine';
import { makePrivateFolder, writeFileAtomic } from '@hvm/filestore';
import type { PasswordHash } from './passwords.js';
import { isRole } from './roles.js';
import type { Role } from './roles.js';

export interface Account {
  name: string;
  role: Role;
  /** For a Checkpoint Operator: the VMs (names or ids, case-insensitive) it may see and manage. */
  virtualMachines: string[];
  password: PasswordHash;
  createdAt: string;
  passwordChangedAt: string;
}

interface AccountsFile {
  version: 1;
  accounts: Account[];
}

export const securityFolderName = 'Security';
export const accountsFileName = 'accounts.json';

export function accountsFilePath(dataDir: string): string {
  return join(dataDir, securityFolderName, accountsFileName);
}

export class AccountsFileError extends Error {
  override readonly name = 'AccountsFileError';
}

const forbiddenNameCharacters = /["/\\[\]:;|=,+*?<>@]/u;

/**
 * Says what is wrong with a new account name, or null: Windows' rules for user names, and the
 * engine's one name rule (no control or invisible character). Names already in the accounts file
 * are not checked again: an account an older version let in still signs in.
 */
export function accountNameProblem(name: string): string | null {
  if (name.trim() !== name || name === '') {
    return 'The user name must not be empty or start or end with a space.';
  }
  if (name.length > 20) return 'The user name must be at most 20 characters long.';
  if (forbiddenNameCharacters.test(name) || /^\.+$/.test(name)) {
    return 'The user name cannot contain these characters: " / \\ [ ] : ; | = , + * ? < > @';
  }
  const invisible = forbiddenNameCharacter(name);
  if (invisible !== null) return forbiddenNameCharacterMessage('user', invisible);
  return null;
}

/**
 * Whether two account names name the same account: the engine's `sameName` (NFKC, then case),
 * the key the sign-in limiter counts failures by too.
 */
export const sameAccountName = sameName;

function isPasswordHash(value: unknown): value is PasswordHash {
  if (typeof value !== 'object' || value === null) return false;
  const hash = value as Partial<PasswordHash>;
  return (
    hash.algorithm === 'scrypt' &&
    typeof hash.N === 'number' &&
    typeof hash.r === 'number' &&
    typeof hash.p === 'number' &&
    typeof hash.salt === 'string' &&
    typeof hash.hash === 'string'
  );
}

function parseAccount(value: unknown, index: number): Account {
  const account = (typeof value === 'object' && value !== null ? value : {}) as Partial<Account>;
  if (
    typeof account.name !== 'string' ||
    !isRole(account.role) ||
    !Array.isArray(account.virtualMachines) ||
    !account.virtualMachines.every((vm) => typeof vm === 'string') ||
    !isPasswordHash(account.password)
  ) {
    throw new AccountsFileError(`Account ${index + 1} in ${accountsFileName} is not valid.`);
  }
  return {
    name: account.name,
    role: account.role,
    virtualMachines: [...account.virtualMachines],
    password: account.password,
    createdAt: String(account.createdAt ?? ''),
    passwordChangedAt: String(account.passwordChangedAt ?? ''),
  };
}

function parseFile(text: string): Account[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccountsFileError(`${accountsFileName} is not valid JSON.`);
  }
  const file = (
    typeof parsed === 'object' && parsed !== null ? parsed : {}
  ) as Partial<AccountsFile>;
  if (file.version !== 1 || !Array.isArray(file.accounts)) {
    throw new AccountsFileError(`${accountsFileName} is not an accounts file of version 1.`);
  }
  return file.accounts.map(parseAccount);
}

/**
 * Writes a file of the Security folder atomically (creating the folder, its owner's only): the
 * one atomic write of `@hvm/filestore`, which leaves no temporary file when it fails.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await makePrivateFolder(dirname(path));
  await writeFileAtomic(path, text);
}

export interface AccountStore {
  readonly path: string;
  /** Every account (re-read when the file changed). */
  list(): Account[];
  find(name: string): Account | undefined;
  /** Adds or replaces (by name) an account and writes the file. */
  save(account: Account): Promise<void>;
  remove(name: string): Promise<boolean>;
}

export function accountStore(dataDir: string): AccountStore {
  const path = accountsFilePath(dataDir);
  let cached: { stamp: string; accounts: Account[] } | undefined;

  const stampOf = (): string | null => {
    try {
      const stat = statSync(path);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };

  const list = (): Account[] => {
    const stamp = stampOf();
    if (stamp === null) return [];
    if (cached?.stamp !== stamp)
      cached = { stamp, accounts: parseFile(readFileSync(path, 'utf8')) };
    return cached.accounts;
  };

  const write = async (accounts: Account[]): Promise<void> => {
    const file: AccountsFile = { version: 1, accounts };
    await writeFileAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
    cached = undefined;
  };

  return {
    path,
    list: () =>
      list().map((account) => ({ ...account, virtualMachines: [...account.virtualMachines] })),
    find: (name) => list().find((account) => sameAccountName(account.name, name)),
    save: async (account) => {
      const others = list().filter((existing) => !sameAccountName(existing.name, account.name));
      await write([...others, account]);
    },
    remove: async (name) => {
      const accounts = list();
      const others = accounts.filter((existing) => !sameAccountName(existing.name, name));
      if (others.length === accounts.length) return false;
      await write(others);
      return true;
    },
  };
}
