import type { FileStore } from '@hvm/vhdx';
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';

/**
 * The one gate for paths users supply (Checkpoint File Location, an export folder, a disk to
 * inspect): they must stay inside the host's storage, which is its data folder. Paths are written
 * relative to the data folder with `/` or `\`; an absolute path is accepted only when it lies in
 * the data folder. `..`, absolute paths elsewhere, and symbolic links that lead outside are refused.
 */

/** Windows' MAX_PATH: longer paths are refused before anything touches the disk. */
export const MAX_PATH_LENGTH = 260;

export function pathOutsideStorage(field: string, input: string): EngineError {
  return new EngineError(
    ErrorCode.InvalidArgument,
    `The path '${input}' is outside the storage locations of this host.`,
    { field, path: input, reason: 'outside-storage' },
  );
}

export interface StorageHost {
  store: FileStore;
  /** Absolute path of the data folder, or ":memory:". */
  dataLocation: string;
}

/** `input` without the data folder in front, when it is an absolute path inside it; else null. */
export function relativeToDataFolder(input: string, dataLocation: string): string | null {
  if (dataLocation === ':memory:' || dataLocation === '') return null;
  const root = dataLocation.replace(/\\/g, '/').replace(/\/+$/, '');
  if (input === root) return '';
  return input.startsWith(`${root}/`) ? input.slice(root.length + 1) : null;
}

/**
 * Checks the written form of a path (no disk access): returns it relative to the data folder,
 * with `/` separators and without empty or `.` parts; `''` is the data folder itself.
 */
export function normalizeUserPath(host: StorageHost, input: unknown, field: string): string {
  if (typeof input !== 'string') throw invalidArgument(field, `The ${field} must be a string.`);
  if (input.trim() === '') throw invalidArgument(field, `The ${field} cannot be empty.`);
  if (input.length > MAX_PATH_LENGTH) {
    throw invalidArgument(
      field,
      `The specified path, file name, or both are too long. The fully qualified file name must be less than ${MAX_PATH_LENGTH} characters.`,
    );
  }
  if ([...input].some((c) => c.charCodeAt(0) < 32)) {
    throw invalidArgument(
      field,
      `The ${field} '${printable(input)}' contains characters that are not allowed in a path.`,
    );
  }
  let path = input.trim().replace(/\\/g, '/');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    const inside = relativeToDataFolder(path, host.dataLocation);
    if (inside === null) throw pathOutsideStorage(field, input);
    path = inside;
  }
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw pathOutsideStorage(field, input);
  if (parts.length === 0) {
    throw invalidArgument(field, `The ${field} '${input}' does not name a folder or file.`);
  }
  for (const part of parts) {
    if ([...part].some((c) => '<>:"|?*'.includes(c))) {
      throw invalidArgument(
        field,
        `The ${field} '${input}' contains characters that are not allowed in a path.`,
      );
    }
  }
  return parts.join('/');
}

/**
 * `normalizeUserPath`, then follows the symbolic links on the path through the file store:
 * a link that leads outside the data folder (or dangles) makes the path outside.
 */
export async function confinePath(
  host: StorageHost,
  input: unknown,
  field: string,
): Promise<string> {
  const path = normalizeUserPath(host, input, field);
  let real: string | null;
  try {
    real = await host.store.realpath(path);
  } catch {
    real = null;
  }
  if (real === null) throw pathOutsideStorage(field, String(input));
  return path;
}

/** The path with control characters shown as `\u0000`, so that a message never carries them. */
function printable(input: string): string {
  return [...input]
    .map((c) => (c.charCodeAt(0) < 32 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
    .join('');
}

/** True when `path` is `folder` or lies below it (case-insensitive, as on Windows). */
export function isUnder(path: string, folder: string): boolean {
  const p = path.toLowerCase();
  const f = folder.toLowerCase();
  return p === f || p.startsWith(`${f}/`);
}
