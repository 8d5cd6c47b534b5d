/**
 * First start with sign-in required and no accounts: an `Administrator` account with a random
 * password, written to `<data folder>/Security/initial-administrator-password.txt` (mode 0600,
 * readable only by the owner). Only the file's path is logged.
 */
import { dirname, join } from 'node:path';
import type { AccountStore } from './accountStore.js';
import { writeFileAtomically } from './accountStore.js';
import { hashPassword, randomPassword } from './passwords.js';
import { Role } from './roles.js';

export const FIRST_ADMINISTRATOR = 'Administrator';
export const initialPasswordFileName = 'initial-administrator-password.txt';

/** Creates the first Administrator when there is no account; returns the password file's path, or null. */
export async function ensureFirstAdministrator(
  store: AccountStore,
  now: () => Date = () => new Date(),
): Promise<string | null> {
  if (store.list().length > 0) return null;
  const password = randomPassword();
  const passwordFile = join(dirname(store.path), initialPasswordFileName);
  await writeFileAtomically(passwordFile, `${password}\n`);
  const at = now().toISOString();
  await store.save({
    name: FIRST_ADMINISTRATOR,
    role: Role.Administrator,
    virtualMachines: [],
    password: await hashPassword(password),
    createdAt: at,
    passwordChangedAt: at,
  });
  return passwordFile;
}
