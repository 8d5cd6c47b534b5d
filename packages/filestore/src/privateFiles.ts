import * as fs from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Who may read what this package creates: its owner only (the server's user), as Hyper-V keeps
 * its configuration and disk files to administrators. Folders are created 0700 and files 0600;
 * each is chmod-ed after its creation, so that the process's umask (which may only take bits
 * away, or may be odd) never decides.
 */
export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates a file that must not exist, readable and writable by its owner only. */
export async function createPrivateFile(path: string, flags: 'wx' | 'wx+'): Promise<fs.FileHandle> {
  const handle = await fs.open(path, flags, FILE_MODE);
  try {
    await handle.chmod(FILE_MODE);
  } catch (e) {
    await handle.close();
    await fs.rm(path, { force: true });
    throw e;
  }
  return handle;
}

/** Creates a folder and its missing parents (`mkdir -p`), each one its owner's only. */
export async function makePrivateFolder(path: string): Promise<void> {
  const first = await fs.mkdir(path, { recursive: true, mode: FOLDER_MODE });
  if (first === undefined) return;
  // Every folder this call created, from the first down to the target.
  const created = [
    first,
    ...relative(first, path)
      .split(sep)
      .filter((part) => part !== ''),
  ];
  let at = '';
  for (const part of created) {
    at = at === '' ? part : join(at, part);
    await fs.chmod(at, FOLDER_MODE);
  }
}
