/**
 * The file system a script sees: one abstraction for every cmdlet that reads or writes files
 * (Out-File, `>`, Tee-Object -FilePath, Export-Csv, Import-Csv, Get-/Set-/Add-Content, Test-Path,
 * Remove-Item, Get-ChildItem, Set-Location). A run gets one in `RunOptions.fileSystem`; without
 * one these cmdlets answer with a record of this product's own (`FileSystemNotAvailable`).
 *
 * Two implementations (nodeFileSystem.ts): `localFileSystem` for hvps (the real file system, as
 * powershell.exe sees the machine it runs on) and `confinedFileSystem` for the server (one folder
 * per user, shown as the drive `Files:\`, nothing outside it reachable).
 *
 * Paths the script gives and sees are PowerShell paths; the real path behind them never leaves
 * the implementation (it is not in any record a non-administrator reads).
 */

/** One file or folder as Get-ChildItem / Test-Path see it. */
export interface ScriptItem {
  /** Its name (the last part of `path`). */
  name: string;
  /** Its full PowerShell path (`Files:\report.txt`, `/home/olivia/report.txt`). */
  path: string;
  directory: boolean;
  /** Bytes; 0 for a folder. */
  length: number;
  lastWriteTime: Date;
}

/**
 * How a write treats an existing file: `overwrite` replaces it, `append` adds to its end, `new`
 * refuses when it exists (-NoClobber). Every write creates a missing file in an existing folder.
 */
export type WriteMode = 'overwrite' | 'append' | 'new';

/** Why a file operation failed; the cmdlets turn it into PowerShell's record (fileErrors.ts). */
export type FileFaultKind =
  /** The item does not exist (SessionStateStrings.PathNotFound). */
  | 'not-found'
  /** A folder on the way does not exist (.NET DirectoryNotFoundException). */
  | 'folder-not-found'
  /** A drive that is not there: `C:\Windows` in the confined folder (SessionStateStrings.DriveNotFound). */
  | 'drive-not-found'
  /** -NoClobber and the file exists (PathUtilsStrings.UtilityFileExistsNoClobber). */
  | 'exists'
  /** A control character or NUL in the path (.NET's "Illegal characters in path."). */
  | 'illegal-characters'
  /** A Windows reserved device name, an invisible character, a trailing dot or space: our refusal. */
  | 'invalid-name'
  /** Longer than Windows allows (.NET PathTooLongException). */
  | 'too-long'
  /** A file where a folder is needed, or a folder where a file is needed. */
  | 'wrong-kind'
  /** A symbolic link or other special file in the confined folder: our refusal. */
  | 'not-allowed'
  /** The user's quota (files, bytes) or the largest file: our limit. */
  | 'quota'
  /** A virtual hard disk's name (.vhdx, .avhdx, .vhd, .avhd) in the confined folder: our refusal. */
  | 'disk-file'
  /** The operating system refused access (.NET UnauthorizedAccessException). */
  | 'access-denied'
  /** Any other failure of the disk (full, read-only, I/O error): its code only, never a path. */
  | 'io';

export class FileFault extends Error {
  override readonly name = 'FileFault';
  constructor(
    readonly kind: FileFaultKind,
    /** The PowerShell path the fault is about (never a real host path in the confined folder). */
    readonly path: string,
    message: string = kind,
  ) {
    super(message);
  }
}

/** The sizes a file system keeps a script to (this product's limits, not PowerShell's). */
export interface FileLimits {
  /** The largest file a script may read or write, in bytes. */
  maxFileBytes: number;
  /** Files in the confined folder (ignored by the local file system). */
  maxFiles: number;
  /** Bytes of all files in the confined folder (ignored by the local file system). */
  maxTotalBytes: number;
}

export const defaultFileLimits: FileLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxFiles: 500,
  maxTotalBytes: 64 * 1024 * 1024,
};

export interface ScriptFileSystem {
  /** The location a new session starts in (Get-Location), a full PowerShell path. */
  readonly home: string;
  /** This file system's limits. */
  readonly limits: FileLimits;
  /**
   * The full PowerShell path of `path` relative to `location` (`..` and `.` resolved), or a
   * FileFault (`drive-not-found`, `illegal-characters`, `invalid-name`, `too-long`). Does not
   * look at the disk.
   */
  resolve(location: string, path: string): string;
  /** The item at a full path, or null when there is none. */
  stat(path: string): Promise<ScriptItem | null>;
  /** The items of a folder (FileFault `not-found` / `wrong-kind` otherwise). */
  list(path: string): Promise<ScriptItem[]>;
  /** A file's bytes (FileFault `not-found`, `wrong-kind`, `quota` when larger than maxFileBytes). */
  read(path: string): Promise<Uint8Array>;
  /** Writes a file as `mode` says; crash-safe: a write cut short leaves the old content. */
  write(path: string, bytes: Uint8Array, mode: WriteMode): Promise<void>;
  /** Deletes a file (FileFault `not-found`; a folder is `wrong-kind`). */
  remove(path: string): Promise<void>;
  /** The folder part and the leaf of a full path (Split-Path). */
  split(path: string): { parent: string; leaf: string };
  /** Joins a parent and a child path with this file system's separator (Join-Path). */
  join(parent: string, child: string): string;
}
