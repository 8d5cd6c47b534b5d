/**
 * The files PowerShell scripts run on the server may read and write: each user has a folder of
 * their own under `<data folder>/powershell-files/`, which scripts see as the drive `Files:\`
 * (@hvm/powershell confinedFileSystem: nothing outside it is reachable, links are refused, a quota
 * holds its size). The folder's name is a digest of the account name under the server's one name
 * rule (engine nameKey: case-insensitive after NFKC), so any account name maps to one safe folder
 * name and `OLIVIA` and `olivia` share theirs, as they are one account.
 *
 * Roles (our rule, written down in rest-api.md): script files belong to the PowerShell console,
 * so whoever may run PowerShell (the `runPowerShell` permission: Administrators, auth/roles.ts)
 * has a folder; each account has its own, and no script reaches another account's folder, an
 * Administrator's included (as one Windows user's profile is not another's working directory).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { nameKey } from '@hvm/engine';

/** The folder under the data folder that holds every user's script files. */
export const SCRIPT_FILES_FOLDER = 'powershell-files';

/** The real folder of `user`'s script files under `filesRoot`. */
export function userFilesFolder(filesRoot: string, user: string): string {
  const digest = createHash('sha256').update(nameKey(user), 'utf8').digest('hex').slice(0, 32);
  return join(filesRoot, digest);
}
