import { posix } from 'node:path';

/** Folder part of a store path ('' for the root). */
export function folderOf(path: string): string {
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
}

/** `relative_path` of `target` as seen from the folder of `from`, Windows style: `.\parent.vhdx`, `..\base\p.vhdx`. */
export function relativeWindowsPath(from: string, target: string): string {
  const rel = posix.relative(folderOf(from) || '.', target);
  const win = rel.split('/').join('\\');
  return win.startsWith('..') ? win : `.\\${win}`;
}

/** Resolves a Windows-style relative path against the folder of `from`; null when it leaves the store. */
export function resolveWindowsRelative(from: string, relative: string): string | null {
  const rel = relative.split('\\').join('/');
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return null;
  const joined = posix.normalize(posix.join(folderOf(from) || '.', rel));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return null;
  return joined;
}

/**
 * Store paths an absolute Windows path could map to: the path itself when it is store-relative,
 * then every shorter tail of it (`C:\VMs\Disks\a.vhdx` → `VMs/Disks/a.vhdx`, `Disks/a.vhdx`, `a.vhdx`).
 */
export function storeCandidatesForAbsolute(absolute: string): string[] {
  const stripped = absolute.replace(/^\\\\\?\\/, '').replace(/^[A-Za-z]:/, '');
  const parts = stripped.split(/[\\/]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
  const out: string[] = [];
  for (let i = 0; i < parts.length && out.length < 64; i++) out.push(parts.slice(i).join('/'));
  return out;
}

/** The value written to `absolute_win32_path` for a store path. */
export function storePathToWindows(path: string): string {
  return path.split('/').join('\\');
}
