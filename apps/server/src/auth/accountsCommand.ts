/**
 * The `accounts` command: list, add, change and remove the local accounts of the server.
 *
 *   accounts list
 *   accounts add <name> --role <administrator|checkpoint-operator|reader> [--vm <VM name or id>]...
 *   accounts set-password <name>
 *   accounts set-role <name> --role <role> [--vm <VM name or id>]...
 *   accounts remove <name>
 *
 * Passwords are read from standard input, never from the command line. A running server sees the
 * change at its next request; a new password ends the account's sessions.
 */
import { forbiddenNameCharacter, forbiddenNameCharacterMessage } from '@hvm/engine';
import type { Account, AccountStore } from './accountStore.js';
import { accountNameProblem } from './accountStore.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { isRole, Role, roleDisplayName, roles } from './roles.js';

export const accountsUsage = `Usage:
  accounts list
  accounts add <name> --role <${roles.join('|')}> [--vm <VM name or id>]...
  accounts set-password <name>
  accounts set-role <name> --role <${roles.join('|')}> [--vm <VM name or id>]...
  accounts remove <name>
The password is read from standard input.`;

export class AccountsCommandError extends Error {
  override readonly name = 'AccountsCommandError';
}

export interface AccountsCommandIo {
  store: AccountStore;
  readPassword: () => Promise<string>;
  print: (line: string) => void;
  now?: () => Date;
}

interface ParsedOptions {
  role?: Role;
  virtualMachines: string[];
}

function parseOptions(args: string[]): ParsedOptions {
  const parsed: ParsedOptions = { virtualMachines: [] };
  for (let i = 0; i < args.length; i += 1) {
    const option = args[i];
    const value = args[i + 1];
    if (option !== '--role' && option !== '--vm') {
      throw new AccountsCommandError(`Unknown option "${option ?? ''}".\n${accountsUsage}`);
    }
    if (value === undefined || value.startsWith('--')) {
      throw new AccountsCommandError(`${option} needs a value.`);
    }
    i += 1;
    if (option === '--vm') {
      // A grant is a VM's name (or id) as the engine's one name rule compares it; a new VM name
      // may not hold control or invisible characters, so a grant with one would look like a
      // VM's name (in `list` too) and match none.
      const invisible = forbiddenNameCharacter(value);
      if (invisible !== null)
        throw new AccountsCommandError(forbiddenNameCharacterMessage('virtual machine', invisible));
      parsed.virtualMachines.push(value);
    } else if (isRole(value)) {
      parsed.role = value;
    } else {
      throw new AccountsCommandError(`The role must be one of: ${roles.join(', ')}.`);
    }
  }
  return parsed;
}

function grantsFor(role: Role, virtualMachines: string[]): string[] {
  if (role === Role.CheckpointOperator) return virtualMachines;
  if (virtualMachines.length > 0) {
    throw new AccountsCommandError('--vm applies to the checkpoint-operator role only.');
  }
  return [];
}

async function newPassword(io: AccountsCommandIo): Promise<string> {
  const password = await io.readPassword();
  const problem = passwordProblem(password);
  if (problem !== null) throw new AccountsCommandError(problem);
  return password;
}

function describe(account: Account): string {
  const grants =
    account.role === Role.CheckpointOperator
      ? ` (virtual machines: ${account.virtualMachines.join(', ') || 'none'})`
      : '';
  return `${account.name}\t${roleDisplayName[account.role]}${grants}`;
}

function administratorsBesides(store: AccountStore, name: string): number {
  return store
    .list()
    .filter((account) => account.role === Role.Administrator && account.name !== name).length;
}

/** Runs one `accounts` command. */
export async function runAccountsCommand(args: string[], io: AccountsCommandIo): Promise<void> {
  const [command, name, ...rest] = args;
  const now = (io.now ?? (() => new Date()))().toISOString();
  if (command === 'list') {
    const accounts = io.store.list();
    if (accounts.length === 0) io.print('There are no accounts.');
    for (const account of accounts) io.print(describe(account));
    return;
  }
  if (command === undefined || name === undefined) throw new AccountsCommandError(accountsUsage);
  const existing = io.store.find(name);
  switch (command) {
    case 'add': {
      const problem = accountNameProblem(name);
      if (problem !== null) throw new AccountsCommandError(problem);
      if (existing !== undefined) {
        throw new AccountsCommandError(`The account "${existing.name}" already exists.`);
      }
      const { role, virtualMachines } = parseOptions(rest);
      if (role === undefined) throw new AccountsCommandError('Give the role with --role.');
      const grants = grantsFor(role, virtualMachines);
      const password = await hashPassword(await newPassword(io));
      await io.store.save({
        name,
        role,
        virtualMachines: grants,
        password,
        createdAt: now,
        passwordChangedAt: now,
      });
      io.print(`Added the account "${name}" (${roleDisplayName[role]}).`);
      return;
    }
    case 'set-password': {
      if (existing === undefined) throw new AccountsCommandError(`There is no account "${name}".`);
      if (rest.length > 0) throw new AccountsCommandError(accountsUsage);
      const password = await hashPassword(await newPassword(io));
      await io.store.save({ ...existing, password, passwordChangedAt: now });
      io.print(`Set the password of "${existing.name}"; its sessions have ended.`);
      return;
    }
    case 'set-role': {
      if (existing === undefined) throw new AccountsCommandError(`There is no account "${name}".`);
      const { role, virtualMachines } = parseOptions(rest);
      if (role === undefined) throw new AccountsCommandError('Give the role with --role.');
      if (role !== Role.Administrator && administratorsBesides(io.store, existing.name) === 0) {
        throw new AccountsCommandError('The last Administrator cannot lose the role.');
      }
      await io.store.save({ ...existing, role, virtualMachines: grantsFor(role, virtualMachines) });
      io.print(`"${existing.name}" is now ${roleDisplayName[role]}.`);
      return;
    }
    case 'remove': {
      if (existing === undefined) throw new AccountsCommandError(`There is no account "${name}".`);
      if (
        existing.role === Role.Administrator &&
        administratorsBesides(io.store, existing.name) === 0
      ) {
        throw new AccountsCommandError('The last Administrator cannot be removed.');
      }
      await io.store.remove(existing.name);
      io.print(`Removed the account "${existing.name}".`);
      return;
    }
    default:
      throw new AccountsCommandError(`Unknown command "${command}".\n${accountsUsage}`);
  }
}
