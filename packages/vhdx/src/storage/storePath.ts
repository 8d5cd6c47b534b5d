import { posix } from 'node:path';

export function storeError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/**
 * Normalises a store path: POSIX separators, no leading "./", '' for the root. Refuses absolute
 * paths and paths that leave the root.
 */
export function normalizeStorePath(path: string): string {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\0')) {
    throw storeError('EINVAL', `absolute or invalid store path: ${path}`);
  }
  const norm = posix.normalize(path === '' ? '.' : path).replace(/\/+$/, '');
  if (norm === '..' || norm.startsWith('../'))
    throw storeError('EINVAL', `path leaves the store root: ${path}`);
  return norm === '.' ? '' : norm;
}

export function parentFolder(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
