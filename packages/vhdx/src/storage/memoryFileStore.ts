import type { FileHandle, FileStat, FileStore, OpenMode } from './fileStore.js';
import { normalizeStorePath, parentFolder, storeError } from './storePath.js';

const PAGE = 1024 * 1024;

/** Runs `fn` and turns both its result and anything it throws into a promise, as an async fs call would. */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/** A sparse in-memory file: only written 1 MiB pages take memory. */
class MemoryFile {
  pages = new Map<number, Uint8Array>();
  size = 0;
  modifiedAt = new Date();

  read(buffer: Uint8Array, position: number): number {
    const n = Math.max(0, Math.min(buffer.length, this.size - position));
    let done = 0;
    while (done < n) {
      const at = position + done;
      const pageIndex = Math.floor(at / PAGE);
      const within = at - pageIndex * PAGE;
      const len = Math.min(n - done, PAGE - within);
      const page = this.pages.get(pageIndex);
      if (page) buffer.set(page.subarray(within, within + len), done);
      else buffer.fill(0, done, done + len);
      done += len;
    }
    return n;
  }

  write(buffer: Uint8Array, position: number): void {
    let done = 0;
    while (done < buffer.length) {
      const at = position + done;
      const pageIndex = Math.floor(at / PAGE);
      const within = at - pageIndex * PAGE;
      const len = Math.min(buffer.length - done, PAGE - within);
      let page = this.pages.get(pageIndex);
      if (!page) {
        page = new Uint8Array(PAGE);
        this.pages.set(pageIndex, page);
      }
      page.set(buffer.subarray(done, done + len), within);
      done += len;
    }
    this.size = Math.max(this.size, position + buffer.length);
    this.modifiedAt = new Date();
  }

  truncate(length: number): void {
    if (length < this.size) {
      for (const index of [...this.pages.keys()]) {
        if (index * PAGE >= length) this.pages.delete(index);
      }
      const tail = this.pages.get(Math.floor(length / PAGE));
      tail?.fill(0, length % PAGE);
    }
    this.size = length;
    this.modifiedAt = new Date();
  }
}

/** An in-memory, sparse file store that behaves like `nodeFileStore` (same error codes). */
export function memoryFileStore(): FileStore {
  const files = new Map<string, MemoryFile>();
  const folders = new Set<string>(['']);

  const getFile = (path: string): MemoryFile => {
    const f = files.get(path);
    if (!f) throw storeError(folders.has(path) ? 'EISDIR' : 'ENOENT', path);
    return f;
  };
  const requireFolder = (path: string): void => {
    if (!folders.has(parentFolder(path)))
      throw storeError('ENOENT', `no such folder: ${parentFolder(path)}`);
  };
  const under = (folder: string, path: string): boolean =>
    folder === '' || path.startsWith(folder + '/');

  function handle(file: MemoryFile, writable: boolean): FileHandle {
    let open = true;
    const check = (write: boolean): void => {
      if (!open) throw storeError('EBADF', 'file handle is closed');
      if (write && !writable) throw storeError('EBADF', 'file opened read-only');
    };
    return {
      read(buffer, position) {
        return attempt(() => {
          check(false);
          return file.read(buffer, position);
        });
      },
      write(buffer, position) {
        return attempt(() => {
          check(true);
          file.write(buffer, position);
          return;
        });
      },
      size() {
        return attempt(() => {
          check(false);
          return file.size;
        });
      },
      truncate(length) {
        return attempt(() => {
          check(true);
          file.truncate(length);
          return;
        });
      },
      sync() {
        return attempt(() => {
          check(false);
          return;
        });
      },
      close() {
        return attempt(() => {
          open = false;
          return;
        });
      },
    };
  }

  return {
    open(path: string, mode: OpenMode) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        if (mode === 'wx') {
          requireFolder(p);
          if (files.has(p) || folders.has(p)) throw storeError('EEXIST', p);
          const file = new MemoryFile();
          files.set(p, file);
          return handle(file, true);
        }
        return handle(getFile(p), mode === 'r+');
      });
    },
    readFile(path) {
      return attempt(() => {
        const f = getFile(normalizeStorePath(path));
        const out = new Uint8Array(f.size);
        f.read(out, 0);
        return out;
      });
    },
    writeFileAtomic(path, data) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        requireFolder(p);
        if (folders.has(p)) throw storeError('EISDIR', p);
        const file = new MemoryFile();
        file.write(data, 0);
        files.set(p, file);
        return;
      });
    },
    exists(path) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        return files.has(p) || folders.has(p);
      });
    },
    stat(path): Promise<FileStat> {
      return attempt(() => {
        const p = normalizeStorePath(path);
        if (folders.has(p))
          return {
            size: 0,
            allocatedBytes: 0,
            isDirectory: true,
            modifiedAt: new Date(),
          };
        const f = getFile(p);
        return {
          size: f.size,
          allocatedBytes: f.pages.size * PAGE,
          isDirectory: false,
          modifiedAt: f.modifiedAt,
        };
      });
    },
    rename(from, to) {
      return attempt(() => {
        const a = normalizeStorePath(from);
        const b = normalizeStorePath(to);
        requireFolder(b);
        const file = files.get(a);
        if (file) {
          if (folders.has(b)) throw storeError('EISDIR', b);
          files.delete(a);
          files.set(b, file);
          return;
        }
        if (!folders.has(a) || a === '') throw storeError('ENOENT', a);
        for (const [p, f] of [...files]) {
          if (under(a, p)) {
            files.delete(p);
            files.set(b + p.slice(a.length), f);
          }
        }
        for (const d of [...folders]) {
          if (d === a || under(a, d)) {
            folders.delete(d);
            folders.add(b + d.slice(a.length));
          }
        }
        return;
      });
    },
    unlink(path) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        getFile(p);
        files.delete(p);
        return;
      });
    },
    mkdirp(path) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        if (files.has(p)) throw storeError('EEXIST', p);
        const parts = p === '' ? [] : p.split('/');
        for (let i = 1; i <= parts.length; i++) {
          const d = parts.slice(0, i).join('/');
          if (files.has(d)) throw storeError('ENOTDIR', d);
          folders.add(d);
        }
        return;
      });
    },
    list(path) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        if (files.has(p)) throw storeError('ENOTDIR', p);
        if (!folders.has(p)) return [];
        const names = new Set<string>();
        for (const entry of [...files.keys(), ...folders]) {
          if (entry !== p && under(p, entry)) {
            const rest = p === '' ? entry : entry.slice(p.length + 1);
            const name = rest.split('/')[0];
            if (name) names.add(name);
          }
        }
        return [...names].sort();
      });
    },
    realpath(path) {
      // A memory store holds no symbolic links: every path leads where it says.
      return attempt(() => normalizeStorePath(path));
    },
    removeTree(path) {
      return attempt(() => {
        const p = normalizeStorePath(path);
        for (const f of [...files.keys()]) if (f === p || under(p, f)) files.delete(f);
        for (const d of [...folders]) if (d !== '' && (d === p || under(p, d))) folders.delete(d);
        return;
      });
    },
  };
}
