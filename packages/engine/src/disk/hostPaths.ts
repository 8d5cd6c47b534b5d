import { invalidArgument } from '../errors.js';

/**
 * Paths the user gives (an export folder, a disk to inspect) are relative to the host's data
 * folder, written with `/` or `\`. Absolute paths, drive letters and `..` are refused, so nothing
 * outside the host's storage is ever read or written.
 */
export function resolveHostPath(input: string, field: string): string {
  const raw = input.trim();
  if (raw === '') throw invalidArgument(field, `The ${field} cannot be empty.`);
  if (raw.startsWith('/') || raw.startsWith('\\') || /^[a-zA-Z]:/.test(raw)) {
    throw invalidArgument(
      field,
      `The ${field} '${input}' is absolute. Give a path relative to the host's data folder, for example 'Exports'.`,
    );
  }
  const parts = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) {
    throw invalidArgument(
      field,
      `The ${field} '${input}' leaves the host's data folder; '..' is not allowed.`,
    );
  }
  if (parts.length === 0) {
    throw invalidArgument(field, `The ${field} '${input}' does not name a folder or file.`);
  }
  // Control characters and the characters Windows refuses in names.
  for (const part of parts) {
    if ([...part].some((c) => c.charCodeAt(0) < 32 || '<>:"|?*'.includes(c))) {
      throw invalidArgument(
        field,
        `The ${field} '${input}' contains characters that are not allowed in a path.`,
      );
    }
  }
  return parts.join('/');
}

/** True when `path` is `folder` or lies below it (case-insensitive, as on Windows). */
export function isUnder(path: string, folder: string): boolean {
  const p = path.toLowerCase();
  const f = folder.toLowerCase();
  return p === f || p.startsWith(`${f}/`);
}
