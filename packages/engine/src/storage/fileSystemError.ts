import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { EngineError } from '../errors.js';
import type { FileErrorCode } from '../types.js';

/**
 * Raw file-system errors never reach users: Node's messages name absolute host paths
 * ("ENOENT: no such file or directory, open '/home/…/Virtual Hard Disks/x.avhdx'"). The engine
 * says them in Windows' words, with a path relative to the data folder at most, and sends the
 * detail to its log port (`HostPorts.logError`).
 *
 * The texts are Win32's own, from Microsoft's "System Error Codes (0-499)" and "(1000-1299)"
 * (learn.microsoft.com/windows/win32/debug/system-error-codes), and Hyper-V shows them with their
 * HRESULT (HRESULT_FROM_WIN32: 0x80070000 | code), e.g. in the Hyper-V-VMMS Admin log "… disk
 * E:\…\x.vhdx: The system cannot find the file specified. (0x80070002)." (public transcript:
 * c-amie.co.uk, "Error 0x80070002 when attempting to backup a Hyper-V Virtual Machine"). Which
 * POSIX code stands for which Win32 error follows libuv's own translation the other way
 * (uv_translate_sys_error in libuv's src/win/error.c: ERROR_SHARING_VIOLATION → EBUSY,
 * ERROR_WRITE_PROTECT → EROFS, ERROR_DISK_FULL → ENOSPC, …). The frame around them — the quoted
 * path before a colon — is ours, not Hyper-V's.
 */
const WIN32_BY_CODE: Record<FileErrorCode, { win32: number; text: string }> = {
  ENOENT: { win32: 2, text: 'The system cannot find the file specified.' },
  ENOTDIR: { win32: 3, text: 'The system cannot find the path specified.' },
  EMFILE: { win32: 4, text: 'The system cannot open the file.' },
  ENFILE: { win32: 4, text: 'The system cannot open the file.' },
  EACCES: { win32: 5, text: 'Access is denied.' },
  EPERM: { win32: 5, text: 'Access is denied.' },
  EISDIR: { win32: 5, text: 'Access is denied.' },
  EROFS: { win32: 19, text: 'The media is write protected.' },
  EBUSY: {
    win32: 32,
    text: 'The process cannot access the file because it is being used by another process.',
  },
  ETXTBSY: {
    win32: 32,
    text: 'The process cannot access the file because it is being used by another process.',
  },
  EEXIST: { win32: 80, text: 'The file exists.' },
  ENOSPC: { win32: 112, text: 'There is not enough space on the disk.' },
  // A quota is a full disk for the one who meets it (the server answers both the same way).
  EDQUOT: { win32: 112, text: 'There is not enough space on the disk.' },
  ENOTEMPTY: { win32: 145, text: 'The directory is not empty.' },
  ENAMETOOLONG: { win32: 206, text: 'The filename or extension is too long.' },
  EIO: {
    win32: 1117,
    text: 'The request could not be performed because of an I/O device error.',
  },
};

/** Whether Windows has words for this POSIX code (the codes a failed task may carry). */
export function isFileErrorCode(code: string): code is FileErrorCode {
  return Object.hasOwn(WIN32_BY_CODE, code);
}

/** E_FAIL, "Unspecified error", for a code Windows has no word for. */
const UNSPECIFIED = { hresult: 0x80004005, text: 'Unspecified error' };

type SystemError = Error & { code: string; path?: unknown; dest?: unknown };

/** An error of the operating system's file calls (Node's `code` "ENOENT", "EACCES", ...). */
export function isSystemError(error: unknown): error is SystemError {
  if (!(error instanceof Error) || error instanceof EngineError) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

const hex = (value: number): string => `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * A failed file operation in Windows' words. `code` stays the POSIX code (callers branch on
 * ENOSPC and EROFS); `path` is relative to the data folder, or only the file's name.
 */
export class FileSystemError extends Error {
  override readonly name = 'FileSystemError';
  constructor(
    readonly code: string,
    readonly hresult: string,
    readonly path: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** `path` as users may see it: relative to the data folder when inside it, else its name only. */
export function shownPath(path: string, dataLocation: string | null): string {
  if (!isAbsolute(path)) return path.split(sep).join('/');
  if (dataLocation !== null && isAbsolute(resolve(dataLocation))) {
    const inside = relative(resolve(dataLocation), path);
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside))
      return inside.split(sep).join('/');
  }
  return basename(path);
}

/** The data folder of a host, absolute, or null for a store in memory. */
export function dataFolderOf(dataLocation: string): string | null {
  return dataLocation === ':memory:' ? null : resolve(dataLocation);
}

/** The path a Node error names: its `path` property, else the last quoted path of its message. */
function pathOf(error: SystemError): string | null {
  if (typeof error.path === 'string') return error.path;
  const quoted = /'([^']+)'(?!.*')/.exec(error.message);
  return quoted?.[1] ?? null;
}

export function toFileSystemError(
  error: SystemError,
  dataLocation: string | null,
): FileSystemError {
  const known = isFileErrorCode(error.code) ? WIN32_BY_CODE[error.code] : undefined;
  const raw = pathOf(error);
  const path = raw === null ? null : shownPath(raw, dataLocation);
  const hresult = hex(known === undefined ? UNSPECIFIED.hresult : (0x80070000 | known.win32) >>> 0);
  const text = `${known?.text ?? UNSPECIFIED.text} (${hresult})`;
  return new FileSystemError(
    error.code,
    hresult,
    path,
    path === null ? text : `'${path}': ${text}`,
  );
}

/** Absolute paths in any other message shrink to what `shownPath` shows. */
export function withoutHostPaths(message: string, dataLocation: string | null): string {
  return message.replace(
    /(^|[\s'"(=:])(\/[^\s'"),:]+)/g,
    (_all, before: string, path: string) => `${before}${shownPath(path, dataLocation)}`,
  );
}

/**
 * What a user may see of an error: engine errors as they are, file-system errors in Windows'
 * words, other errors without host paths.
 */
export function toUserError(error: unknown, dataLocation: string | null): Error {
  if (error instanceof EngineError || error instanceof FileSystemError) return error;
  if (isSystemError(error)) return toFileSystemError(error, dataLocation);
  if (!(error instanceof Error)) return new Error(withoutHostPaths(String(error), dataLocation));
  const message = withoutHostPaths(error.message, dataLocation);
  if (message === error.message) return error;
  const code = (error as { code?: unknown }).code;
  return Object.assign(new Error(message), typeof code === 'string' ? { code } : {});
}

/** `toUserError(...).message`. */
export function userMessage(error: unknown, dataLocation: string | null): string {
  return toUserError(error, dataLocation).message;
}

/** Whether the detail of an error is worth the log: anything but the engine's own answers. */
export function needsLogging(error: unknown): boolean {
  return !(error instanceof EngineError);
}
