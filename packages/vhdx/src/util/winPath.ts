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

/** A store path in Windows' separators (`Virtual Hard Disks\a.vhdx`). */
export function storePathToWindows(path: string): string {
  return path.split('/').join('\\');
}

/**
 * A host's absolute path as an absolute Win32 path for `absolute_win32_path` (MS-VHDX §2.6.2.6,
 * parent locator: an absolute Win32 path, which the spec shows with `\\?\`; Hyper-V writes a plain
 * `C:\...`, vhdx-format.md "Parent locator", observed). A Windows
 * path stays as it is; a Unix one has no drive letter, so its root is drive Z:, as Wine maps it
 * ("The system root is displayed as Z:", https://wiki.winehq.org/Cmd): `/srv/hv/a.vhdx` is
 * `Z:\srv\hv\a.vhdx`. Tools that look for a parent by this value's last name (libvhdi) find it.
 */
export function absoluteWin32Path(hostPath: string): string {
  if (/^[A-Za-z]:[\\/]/.test(hostPath) || hostPath.startsWith('\\\\'))
    return hostPath.split('/').join('\\');
  return 'Z:' + hostPath.split('/').join('\\');
}

/** What `absolute_win32_path` says for the store path `path`: its absolute path when the store knows it. */
export function absoluteLocatorPath(
  store: { absolutePath?(path: string): string },
  path: string,
): string {
  return store.absolutePath === undefined
    ? storePathToWindows(path)
    : absoluteWin32Path(store.absolutePath(path));
}
