import * as fsCallback from 'node:fs';
import * as fs from 'node:fs/promises';
import { isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import {
  FOLDER_MODE,
  createPrivateFile,
  makePrivateFolder,
  writeFileAtomic as writeWholeFile,
} from '@hvm/filestore';
import {
  ON_THE_SPOT_MAX_BYTES,
  type FileHandle,
  type FileStat,
  type FileStore,
  type OpenMode,
  type OpenOptions,
} from './fileStore.js';
import { RangeCopier, loadKernel } from './rangeClone.js';
import { normalizeStorePath } from './storePath.js';
import { byteLengthOf, piecesAfter } from '../util/segments.js';

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

async function isEntry(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The `node:fs` handle behind each handle this store gives out (for cloning between two of them). */
const nodeHandles = new WeakMap<FileHandle, fs.FileHandle>();

/** Positioned reads and writes go through the callback API: it costs less per call than `fs/promises`. */
function readOnce(fd: number, buffer: Uint8Array, at: number, length: number, position: number) {
  return new Promise<number>((ok, fail) => {
    fsCallback.read(fd, buffer, at, length, position, (error, n) => (error ? fail(error) : ok(n)));
  });
}

function writeOnce(fd: number, buffer: Uint8Array, at: number, length: number, position: number) {
  return new Promise<number>((ok, fail) => {
    fsCallback.write(fd, buffer, at, length, position, (error, n) => (error ? fail(error) : ok(n)));
  });
}

function readvOnce(fd: number, buffers: readonly Uint8Array[], position: number) {
  return new Promise<number>((ok, fail) => {
    fsCallback.readv(fd, buffers, position, (error, n) => (error ? fail(error) : ok(n)));
  });
}

function writevOnce(fd: number, buffers: readonly Uint8Array[], position: number) {
  return new Promise<number>((ok, fail) => {
    fsCallback.writev(fd, buffers, position, (error, n) => (error ? fail(error) : ok(n)));
  });
}

/**
 * One preadv(2) for the whole range; another for what is left only when the kernel read less
 * (the end of the file, or more pieces than IOV_MAX, which libuv cuts a call to).
 */
function readvNowAll(fd: number, buffers: readonly Uint8Array[], position: number): number {
  let done = 0;
  let rest = buffers;
  while (rest.length > 0) {
    const n = fsCallback.readvSync(fd, rest, position + done);
    if (n === 0) break;
    done += n;
    rest = piecesAfter(rest, n);
  }
  return done;
}

/**
 * `onTheSpotUpTo`: the largest read or write made on the spot (0: none, every request through
 * the thread pool; `ON_THE_SPOT_MAX_BYTES` for a handle opened with `ioOnTheSpot`).
 */
function wrapHandle(fh: fs.FileHandle, onTheSpotUpTo: number): FileHandle {
  const copiers = new Map<fs.FileHandle, Promise<RangeCopier | null>>();
  const copierFrom = (source: FileHandle): Promise<RangeCopier | null> => {
    const from = nodeHandles.get(source);
    if (from === undefined) return Promise.resolve(null);
    let copier = copiers.get(from);
    if (copier === undefined) {
      copier = RangeCopier.between(from.fd, fh.fd).catch(() => null);
      copiers.set(from, copier);
    }
    return copier;
  };
  const handle: FileHandle = {
    readNow(buffer, position) {
      let done = 0;
      while (done < buffer.length) {
        const n = fsCallback.readSync(fh.fd, buffer, done, buffer.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    async read(buffer, position) {
      if (buffer.length <= onTheSpotUpTo) return handle.readNow?.(buffer, position) ?? 0;
      let done = 0;
      while (done < buffer.length) {
        const n = await readOnce(fh.fd, buffer, done, buffer.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    readvNow: (buffers, position) => readvNowAll(fh.fd, buffers, position),
    async readv(buffers, position) {
      if (byteLengthOf(buffers) <= onTheSpotUpTo) return readvNowAll(fh.fd, buffers, position);
      let done = 0;
      let rest = buffers;
      while (rest.length > 0) {
        const n = await readvOnce(fh.fd, rest, position + done);
        if (n === 0) break;
        done += n;
        rest = piecesAfter(rest, n);
      }
      return done;
    },
    async writev(buffers, position) {
      const now = byteLengthOf(buffers) <= onTheSpotUpTo;
      let done = 0;
      let rest = buffers;
      while (rest.length > 0) {
        const at = position + done;
        const n = now ? fsCallback.writevSync(fh.fd, rest, at) : await writevOnce(fh.fd, rest, at);
        done += n;
        rest = piecesAfter(rest, n);
      }
    },
    async write(buffer, position) {
      let done = 0;
      if (buffer.length <= onTheSpotUpTo) {
        while (done < buffer.length) {
          done += fsCallback.writeSync(fh.fd, buffer, done, buffer.length - done, position + done);
        }
        return;
      }
      while (done < buffer.length) {
        done += await writeOnce(fh.fd, buffer, done, buffer.length - done, position + done);
      }
    },
    async size() {
      return (await fh.stat()).size;
    },
    truncate: (length) => fh.truncate(length),
    // fdatasync: the data and what is needed to read it back (size, allocation); not timestamps.
    sync: () => fh.datasync(),
    async close() {
      const open = [...copiers.values()];
      copiers.clear();
      for (const c of open) await (await c)?.close();
      await fh.close();
    },
    async cloneRangesFrom(source, ranges) {
      return (await (await copierFrom(source))?.clone(ranges)) ?? 0;
    },
    async copyRangesFrom(source, ranges) {
      return (await (await copierFrom(source))?.copy(ranges)) ?? 0;
    },
  };
  nodeHandles.set(handle, fh);
  return handle;
}

/** The top data folder: tightened to 0700 when a store opens it (nothing to do when it does not exist yet). */
function tightenRoot(root: string): void {
  try {
    const { mode } = fsCallback.statSync(root);
    // A shared folder (sticky, as /tmp) or the file system's root is no data folder to take over.
    if ((mode & 0o1000) !== 0 || parse(root).root === root) return;
    if ((mode & 0o777) !== FOLDER_MODE) fsCallback.chmodSync(root, FOLDER_MODE);
  } catch (e) {
    // Created 0700 by the first mkdirp when it does not exist; a folder of another owner stays as it is.
    if (!isErrno(e, 'ENOENT') && !isErrno(e, 'EPERM')) throw e;
  }
}

/**
 * A file store over a real folder (`node:fs/promises`). Who may read it: its owner only (the
 * server's user), as Hyper-V keeps its configuration and disk files to administrators: folders
 * are created 0700 and files 0600 (`@hvm/filestore`'s FOLDER_MODE and FILE_MODE).
 */
export function nodeFileStore(rootDir: string): FileStore {
  const root = resolve(rootDir);
  tightenRoot(root);
  loadKernel();
  const full = (path: string): string => join(root, normalizeStorePath(path));
  const store: FileStore = {
    async open(path: string, mode: OpenMode, options: OpenOptions = {}) {
      const onTheSpotUpTo = options.ioOnTheSpot === true ? ON_THE_SPOT_MAX_BYTES : 0;
      if (mode === 'wx')
        return wrapHandle(await createPrivateFile(full(path), 'wx+'), onTheSpotUpTo);
      return wrapHandle(await fs.open(full(path), mode), onTheSpotUpTo);
    },
    async readFile(path) {
      return new Uint8Array(await fs.readFile(full(path)));
    },
    // A full or read-only disk mid-write leaves no half-written copy behind.
    async writeFileAtomic(path, data) {
      await writeWholeFile(full(path), data);
    },
    async exists(path) {
      try {
        await fs.stat(full(path));
        return true;
      } catch (e) {
        if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return false;
        throw e;
      }
    },
    async stat(path): Promise<FileStat> {
      const s = await fs.stat(full(path));
      return {
        size: s.size,
        allocatedBytes: s.blocks * 512,
        isDirectory: s.isDirectory(),
        modifiedAt: s.mtime,
      };
    },
    rename: (from, to) => fs.rename(full(from), full(to)),
    unlink: (path) => fs.unlink(full(path)),
    async mkdirp(path) {
      await makePrivateFolder(full(path));
    },
    async list(path) {
      try {
        return await fs.readdir(full(path));
      } catch (e) {
        if (isErrno(e, 'ENOENT')) return [];
        throw e;
      }
    },
    absolutePath: (path) => full(path),
    async realpath(path) {
      const parts = normalizeStorePath(path)
        .split('/')
        .filter((part) => part !== '');
      const realRoot = await fs.realpath(root);
      // The deepest part of the path that exists, with its links followed.
      for (let depth = parts.length; depth >= 0; depth -= 1) {
        let real: string;
        try {
          real = await fs.realpath(join(root, ...parts.slice(0, depth)));
        } catch (e) {
          if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) continue;
          throw e;
        }
        const missing = parts.slice(depth);
        // A name that lstat sees but realpath cannot follow is a dangling link.
        const next = missing[0];
        if (next !== undefined && (await isEntry(join(real, next)))) return null;
        const inside = relative(realRoot, real);
        if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
        return [...(inside === '' ? [] : inside.split(sep)), ...missing].join('/');
      }
      return null;
    },
    async removeTree(path) {
      if (normalizeStorePath(path) === '') {
        for (const name of await fs.readdir(root))
          await fs.rm(join(root, name), { recursive: true, force: true });
        return;
      }
      await fs.rm(full(path), { recursive: true, force: true });
    },
  };
  return store;
}
