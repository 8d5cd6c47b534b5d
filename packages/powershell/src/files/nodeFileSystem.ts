/**
 * The two file systems a run can be given (fileSystem.ts), on the machine's disk:
 *
 * - `localFileSystem(cwd)` for hvps: the real file system, paths resolved against the script's
 *   location (which starts at the process's current directory; Set-Location moves the script's
 *   location, never the process's), as powershell.exe sees the machine it runs on.
 * - `confinedFileSystem(folder)` for the server: one folder of a user's own, shown as the drive
 *   `Files:\`. Paths cannot leave it (scriptPaths.ts clamps `..` and refuses other drives); a
 *   symbolic link or special file anywhere on the way is refused rather than followed, files are
 *   opened with O_NOFOLLOW, and the folder's files and bytes are held to a quota.
 *
 * Whole-file writes (and appends, which rewrite the file with the new end) go through
 * @hvm/filestore's writeFileAtomic: a write cut short by a crash leaves the old content and at
 * most a temporary copy, which listings do not show and the next write of that file replaces.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { isAtomicWriteTemporary, makePrivateFolder, writeFileAtomic } from '@hvm/filestore';
import type { FileLimits, ScriptFileSystem, ScriptItem, WriteMode } from './fileSystem.js';
import { FileFault, defaultFileLimits } from './fileSystem.js';
import {
  confinedRoot,
  confinedSegments,
  joinPath,
  resolveConfined,
  resolveLocal,
  splitPath,
} from './scriptPaths.js';

function errnoOf(error: unknown): string | undefined {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A node error as the fault a script sees (never with the real path in it). */
function faultOf(error: unknown, path: string): FileFault {
  if (error instanceof FileFault) return error;
  switch (errnoOf(error)) {
    case 'ENOENT':
      return new FileFault('not-found', path);
    case 'ENOTDIR':
    case 'EISDIR':
      return new FileFault('wrong-kind', path);
    case 'ELOOP':
      return new FileFault('not-allowed', path);
    case 'ENAMETOOLONG':
      return new FileFault('too-long', path);
    case 'EEXIST':
      return new FileFault('exists', path);
    case 'EACCES':
    case 'EPERM':
      return new FileFault('access-denied', path);
    default: {
      const code = errnoOf(error);
      if (code !== undefined) return new FileFault('io', path, code);
      throw error;
    }
  }
}

abstract class NodeFileSystem implements ScriptFileSystem {
  abstract readonly home: string;
  abstract readonly separator: '\\' | '/';
  abstract readonly root: string;
  constructor(readonly limits: FileLimits) {}

  abstract resolve(location: string, path: string): string;
  /** The real path of a full PowerShell path, checked on the way (confined: no links). */
  protected abstract real(path: string): Promise<string>;
  /** Before a write of `bytes` more bytes to a new or bigger file: the folder's quota. */
  protected abstract checkQuota(path: string, growth: number, isNew: boolean): Promise<void>;
  /** The PowerShell path of a child of a listed folder. */
  protected childPath(parent: string, name: string): string {
    return this.join(parent, name);
  }

  async stat(path: string): Promise<ScriptItem | null> {
    try {
      const real = await this.real(path);
      const info = await fs.lstat(real);
      if (!info.isFile() && !info.isDirectory()) throw new FileFault('not-allowed', path);
      return this.item(path, info);
    } catch (error) {
      const fault = faultOf(error, path);
      if (fault.kind === 'not-found' || fault.kind === 'wrong-kind') return null;
      throw fault;
    }
  }

  private item(
    path: string,
    info: { isDirectory(): boolean; size: number; mtime: Date },
  ): ScriptItem {
    const { leaf } = this.split(path);
    return {
      name: leaf === '' ? path : leaf,
      path,
      directory: info.isDirectory(),
      length: info.isDirectory() ? 0 : info.size,
      lastWriteTime: info.mtime,
    };
  }

  async list(path: string): Promise<ScriptItem[]> {
    try {
      const real = await this.real(path);
      const info = await fs.lstat(real);
      if (!info.isDirectory()) throw new FileFault('wrong-kind', path);
      const names = (await fs.readdir(real)).sort((a, b) => a.localeCompare(b));
      const items: ScriptItem[] = [];
      for (const name of names.slice(0, this.limits.maxFiles * 4)) {
        if (isAtomicWriteTemporary(name)) continue;
        const entry = await fs.lstat(join(real, name)).catch(() => null);
        if (!entry || (!entry.isFile() && !entry.isDirectory())) continue;
        items.push(this.item(this.childPath(path, name), entry));
      }
      return items;
    } catch (error) {
      throw faultOf(error, path);
    }
  }

  async read(path: string): Promise<Uint8Array> {
    let handle: fs.FileHandle | null = null;
    try {
      const real = await this.real(path);
      handle = await fs.open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
      const info = await handle.stat();
      if (info.isDirectory()) throw new FileFault('wrong-kind', path);
      if (!info.isFile()) throw new FileFault('not-allowed', path);
      if (info.size > this.limits.maxFileBytes) throw new FileFault('quota', path, 'size');
      return await handle.readFile();
    } catch (error) {
      throw faultOf(error, path);
    } finally {
      await handle?.close();
    }
  }

  async write(path: string, bytes: Uint8Array, mode: WriteMode): Promise<void> {
    try {
      const real = await this.real(path);
      const existing = await fs.lstat(real).catch((error: unknown) => {
        if (errnoOf(error) === 'ENOENT') return null;
        throw error;
      });
      if (existing?.isDirectory()) throw new FileFault('wrong-kind', path);
      if (existing && !existing.isFile()) throw new FileFault('not-allowed', path);
      if (existing && mode === 'new') throw new FileFault('exists', path);
      const before = mode === 'append' && existing ? await this.read(path) : new Uint8Array();
      const size = before.length + bytes.length;
      if (size > this.limits.maxFileBytes) throw new FileFault('quota', path, 'size');
      await this.checkQuota(path, size - (existing?.size ?? 0), existing === null);
      const data = new Uint8Array(size);
      data.set(before, 0);
      data.set(bytes, before.length);
      await writeFileAtomic(real, data);
    } catch (error) {
      const fault = faultOf(error, path);
      // A missing folder on the way (the file itself may be new).
      if (fault.kind === 'not-found') throw new FileFault('folder-not-found', path);
      throw fault;
    }
  }

  async remove(path: string): Promise<void> {
    try {
      const real = await this.real(path);
      const info = await fs.lstat(real);
      if (info.isDirectory()) throw new FileFault('wrong-kind', path);
      await fs.unlink(real);
    } catch (error) {
      throw faultOf(error, path);
    }
  }

  split(path: string): { parent: string; leaf: string } {
    return splitPath(path, this.separator, this.root);
  }

  join(parent: string, child: string): string {
    return joinPath(parent, child, this.separator);
  }
}

class LocalFileSystem extends NodeFileSystem {
  readonly separator = '/' as const;
  readonly root = '/';
  constructor(
    readonly home: string,
    limits: FileLimits,
  ) {
    super(limits);
  }
  resolve(location: string, path: string): string {
    return resolveLocal(location, path);
  }
  protected real(path: string): Promise<string> {
    return Promise.resolve(path);
  }
  protected checkQuota(): Promise<void> {
    return Promise.resolve();
  }
}

class ConfinedFileSystem extends NodeFileSystem {
  readonly separator = '\\' as const;
  readonly root = confinedRoot;
  readonly home = confinedRoot;
  private ready: Promise<void> | null = null;
  constructor(
    private readonly folder: string,
    limits: FileLimits,
  ) {
    super(limits);
  }
  resolve(location: string, path: string): string {
    return resolveConfined(location, path);
  }

  /** `*` and `?` are wildcards to the cmdlets and no part of a Windows file name. */
  override async write(path: string, bytes: Uint8Array, mode: WriteMode): Promise<void> {
    if (/[*?]/.test(path)) throw new FileFault('illegal-characters', path);
    // The folder lies in the host's data folder, whose disk files the host lists and attaches.
    if (/\.a?vhdx?$/i.test(path)) throw new FileFault('disk-file', path);
    await super.write(path, bytes, mode);
  }

  /** The folder, created private on first use; never a link itself. */
  private async ensureFolder(): Promise<void> {
    this.ready ??= (async () => {
      await makePrivateFolder(this.folder);
    })();
    await this.ready;
    const info = await fs.lstat(this.folder);
    if (!info.isDirectory()) throw new FileFault('not-allowed', confinedRoot);
  }

  /** Every folder on the way must be a real folder of the user's (no link leads out). */
  protected async real(path: string): Promise<string> {
    await this.ensureFolder();
    const segments = confinedSegments(path);
    let real = this.folder;
    for (const [index, segment] of segments.entries()) {
      real = join(real, segment);
      const info = await fs.lstat(real).catch((error: unknown) => {
        if (errnoOf(error) === 'ENOENT') return null;
        throw error;
      });
      if (info === null) {
        // A missing part: the rest cannot exist either; the caller sees not-found.
        return join(real, ...segments.slice(index + 1));
      }
      if (info.isSymbolicLink()) throw new FileFault('not-allowed', path);
      if (index < segments.length - 1 && !info.isDirectory())
        throw new FileFault('wrong-kind', path);
    }
    return real;
  }

  protected async checkQuota(path: string, growth: number, isNew: boolean): Promise<void> {
    let files = 0;
    let bytes = 0;
    const walk = async (folder: string, depth: number): Promise<void> => {
      if (depth > 8) return;
      for (const name of await fs.readdir(folder)) {
        if (files > this.limits.maxFiles) return;
        const entry = await fs.lstat(join(folder, name)).catch(() => null);
        if (!entry) continue;
        if (entry.isDirectory()) await walk(join(folder, name), depth + 1);
        else {
          files++;
          bytes += entry.size;
        }
      }
    };
    await walk(this.folder, 0);
    if (isNew && files + 1 > this.limits.maxFiles) throw new FileFault('quota', path, 'files');
    if (bytes + Math.max(0, growth) > this.limits.maxTotalBytes)
      throw new FileFault('quota', path, 'bytes');
  }
}

/** hvps: the machine's files, the script starting in `cwd` (an absolute POSIX path). */
export function localFileSystem(cwd: string, limits: Partial<FileLimits> = {}): ScriptFileSystem {
  return new LocalFileSystem(resolveLocal('/', cwd), { ...defaultFileLimits, ...limits });
}

/** The server: `folder` (created 0700 on first use) is the drive `Files:\`, and nothing else exists. */
export function confinedFileSystem(
  folder: string,
  limits: Partial<FileLimits> = {},
): ScriptFileSystem {
  return new ConfinedFileSystem(folder, { ...defaultFileLimits, ...limits });
}
