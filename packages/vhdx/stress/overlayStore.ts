import type { FileHandle, FileStat, FileStore } from '@hvm/vhdx';

/**
 * A fuzz case's file: a shared, never-changed original plus the bytes the case changed and the
 * length it cut the file to. Building a case costs only its mutations, however large the file.
 */
export class FuzzFile {
  private readonly patches = new Map<number, number>();
  private lowest = Infinity;
  private highest = -1;
  size: number;

  constructor(readonly base: Uint8Array) {
    this.size = base.length;
  }

  /** Reads through the patches into `buffer`; returns the bytes read. */
  readInto(buffer: Uint8Array, position: number): number {
    const n = Math.max(0, Math.min(buffer.length, this.size - position));
    if (n === 0) return 0;
    const fromBase = Math.max(0, Math.min(n, this.base.length - position));
    if (fromBase > 0) buffer.set(this.base.subarray(position, position + fromBase), 0);
    if (fromBase < n) buffer.fill(0, Math.max(0, fromBase), n);
    if (this.highest < position || this.lowest >= position + n) return n;
    for (const [at, value] of this.patches) {
      if (at >= position && at < position + n) buffer[at - position] = value;
    }
    return n;
  }

  bytes(position: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(out, position);
    return out;
  }

  setByte(position: number, value: number): void {
    this.patches.set(position, value & 0xff);
    this.lowest = Math.min(this.lowest, position);
    this.highest = Math.max(this.highest, position);
  }

  setBytes(position: number, bytes: Uint8Array): void {
    bytes.forEach((value, i) => {
      this.setByte(position + i, value);
    });
  }
}

function storeError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

export interface ReadWatch {
  /** The largest single read the library asked for (an allocation it made for it). */
  largestRead: number;
  reads: number;
}

/** A read-only FileStore over fuzz files; every write is refused with EROFS. */
export function overlayStore(files: Map<string, FuzzFile>, watch: ReadWatch): FileStore {
  const get = (path: string): FuzzFile => {
    const file = files.get(path);
    if (file === undefined) throw storeError('ENOENT', path);
    return file;
  };
  const refuse = (path: string): Promise<never> => Promise.reject(storeError('EROFS', path));
  const handle = (path: string, file: FuzzFile): FileHandle => ({
    read: (buffer, position) => {
      watch.reads += 1;
      watch.largestRead = Math.max(watch.largestRead, buffer.length);
      return Promise.resolve(file.readInto(buffer, position));
    },
    write: () => refuse(path),
    size: () => Promise.resolve(file.size),
    truncate: () => refuse(path),
    sync: () => Promise.resolve(),
    close: () => Promise.resolve(),
  });
  const stat = (path: string): FileStat => {
    const file = get(path);
    return {
      size: file.size,
      allocatedBytes: file.size,
      isDirectory: false,
      modifiedAt: new Date(0),
    };
  };
  const store = {
    open: async (path: string, mode: string): Promise<FileHandle> => {
      if (mode !== 'r') return refuse(path);
      await Promise.resolve();
      return handle(path, get(path));
    },
    readFile: async (path: string) => {
      await Promise.resolve();
      const file = get(path);
      return file.bytes(0, file.size);
    },
    writeFileAtomic: (path: string) => refuse(path),
    exists: (path: string) => Promise.resolve(files.has(path)),
    stat: async (path: string) => {
      await Promise.resolve();
      return stat(path);
    },
    rename: (from: string) => refuse(from),
    unlink: (path: string) => refuse(path),
    mkdirp: (path: string) => refuse(path),
    list: () => Promise.resolve([...files.keys()].filter((p) => !p.includes('/'))),
    removeTree: (path: string) => refuse(path),
    realpath: (path: string) => Promise.resolve(path),
  };
  return store;
}
