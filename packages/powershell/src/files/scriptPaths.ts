/**
 * PowerShell paths as a script writes them, resolved against its location without touching the
 * disk: the confined drive `Files:\` of a server user, and the local (POSIX) paths of hvps.
 *
 * PowerShell's own rules kept here (about_Paths, about_Providers): `\` and `/` both separate; a
 * path starting with a separator is rooted on the current drive (so `/etc/passwd` in the
 * confined folder is `Files:\etc\passwd`); `..` at a drive's root stays at the root (as `cd ..`
 * at `C:\` does); `Name:` names a drive, and a drive that does not exist is
 * SessionStateStrings.DriveNotFound. Windows' name rules (Naming Files, Paths, and Namespaces,
 * learn.microsoft.com/windows/win32/fileio/naming-a-file): the device names CON, PRN, AUX, NUL,
 * COM1-9 and LPT1-9 (also with an extension), `< > : " | ?`-free names, no trailing dot or
 * space, 255 characters a name and MAX_PATH (260) a path.
 */
import { FileFault } from './fileSystem.js';

/** The drive a server user's folder is shown as (our name: there is no real drive behind it). */
export const confinedDriveName = 'Files';
export const confinedRoot = `${confinedDriveName}:\\`;

/** .NET Framework's MAX_PATH: a full path is at most 259 characters plus the terminating NUL. */
const maxPathLength = 259;
const maxNameLength = 255;

// Control characters, NUL included, are .NET's invalid path characters ("Illegal characters in path.").
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;
/** Characters Windows refuses in a name (wildcards `*?` are the cmdlets' to expand). */
const windowsInvalid = /[<>:"|]/;
/**
 * Invisible and reordering characters (soft hyphen, zero-width, bidi controls, BOM): refused as in
 * VM and account names, so that no file passes for another (the server's one name rule).
 */
const invisibleCharacters =
  /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const reservedDeviceNames = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

const driveSpec = /^([A-Za-z][A-Za-z0-9_]*):(.*)$/s;

/** Refuses what no path may hold, before it is split. */
function checkCharacters(path: string): void {
  if (controlCharacters.test(path)) throw new FileFault('illegal-characters', path);
  if (invisibleCharacters.test(path)) throw new FileFault('invalid-name', path);
}

/** The parts of a path after `.` and `..` are applied to `base` (clamped at the root). */
function applySegments(base: string[], rest: string): string[] {
  const parts = [...base];
  for (const segment of rest.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts;
}

/** The segments of a confined path (`Files:\a\b` → ['a', 'b']). */
export function confinedSegments(full: string): string[] {
  return applySegments([], full.slice(confinedRoot.length));
}

export function checkConfinedName(name: string, full: string): void {
  if (windowsInvalid.test(name)) throw new FileFault('illegal-characters', full);
  const stem = name.split('.')[0] ?? name;
  if (reservedDeviceNames.test(stem.trimEnd())) throw new FileFault('invalid-name', full);
  if (/[. ]$/.test(name)) throw new FileFault('invalid-name', full);
  if (name.length > maxNameLength) throw new FileFault('too-long', full);
}

/** `path` against `location` on the confined drive: always a path under `Files:\`. */
export function resolveConfined(location: string, path: string): string {
  checkCharacters(path);
  let rest = path;
  let base = confinedSegments(location);
  const drive = driveSpec.exec(path);
  if (drive) {
    const [, name = '', after = ''] = drive;
    if (name.toLowerCase() !== confinedDriveName.toLowerCase())
      throw new FileFault('drive-not-found', name);
    rest = after;
    // `Files:name` is relative to the drive's current location, `Files:\name` to its root.
    if (/^[\\/]/.test(after)) base = [];
  } else if (/^[\\/]/.test(path)) base = [];
  const parts = applySegments(base, rest);
  const full = confinedRoot + parts.join('\\');
  for (const part of parts) checkConfinedName(part, full);
  if (full.length > maxPathLength) throw new FileFault('too-long', full);
  return full;
}

/** `path` against `location` on a POSIX machine (hvps): `\` separates as `/` does. */
export function resolveLocal(location: string, path: string): string {
  checkCharacters(path);
  const drive = driveSpec.exec(path);
  if (drive && /^[A-Za-z]$/.test(drive[1] ?? ''))
    throw new FileFault('drive-not-found', drive[1] ?? '');
  const rooted = /^[\\/]/.test(path);
  const parts = applySegments(rooted ? [] : applySegments([], location), path);
  return `/${parts.join('/')}`;
}

/** Split-Path of a full path: its parent (empty at a root) and its leaf. */
export function splitPath(
  path: string,
  separator: '\\' | '/',
  root: string,
): { parent: string; leaf: string } {
  const trimmed = path.length > root.length ? path.replace(/[\\/]+$/, '') : path;
  const at = Math.max(trimmed.lastIndexOf('\\'), trimmed.lastIndexOf('/'));
  if (at === -1) return { parent: '', leaf: trimmed };
  const leaf = trimmed.slice(at + 1);
  let parent = trimmed.slice(0, at);
  if (parent.length < root.length && trimmed.startsWith(root)) parent = root;
  if (trimmed === root || `${trimmed}${separator}` === root) return { parent: '', leaf: '' };
  return { parent, leaf };
}

/** Join-Path: one separator between the two parts, whatever each ends or starts with. */
export function joinPath(parent: string, child: string, separator: '\\' | '/'): string {
  if (parent === '') return child;
  if (child === '') return parent;
  return `${parent.replace(/[\\/]+$/, '')}${separator}${child.replace(/^[\\/]+/, '')}`;
}
