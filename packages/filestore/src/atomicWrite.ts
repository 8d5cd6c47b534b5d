import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createPrivateFile } from './privateFiles.js';

/** `.<file name>.<12 hex digits>.tmp`: the temporary copy `writeFileAtomic` renames into place. */
const TEMPORARY_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Whether a folder entry is the temporary copy of an atomic write that a crash cut short (the
 * process died between writing the copy and renaming it); `of` narrows it to one file's copies.
 * Such a copy is never the file: whoever owns the folder may remove it.
 */
export function isAtomicWriteTemporary(name: string, of?: string): boolean {
  const match = TEMPORARY_NAME.exec(name);
  return match !== null && (of === undefined || match[1] === of);
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && codes.includes(code);
}

/** Makes a rename in `folder` durable. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some file systems cannot flush a folder; the rename is atomic all the same.
    if (!isErrno(e, 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP')) throw e;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a whole file so that a crash leaves either the old or the new content: a private
 * temporary copy beside it (mode 0600, see `isAtomicWriteTemporary`), fsync, rename over the
 * file, fsync of the folder. When any step fails (a full or read-only disk) the temporary copy
 * is removed, the old file stays as it was, and the error is thrown. The folder must exist.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await createPrivateFile(temporary, 'wx');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (e) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncFolder(folder);
}
