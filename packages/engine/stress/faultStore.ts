import type { FileHandle, FileStore, OpenMode } from '@hvm/vhdx';

/**
 * What happens at the chosen I/O call:
 * - `kill`: the process dies there (SIGKILL), before the call, after it, or halfway through a write;
 * - `ENOSPC`: the disk is full from that call on: writes, creations and renames fail, deletes still work;
 * - `EROFS`: the folder turns read-only from that call on: every change fails.
 */
export type FaultKind = 'kill' | 'ENOSPC' | 'EROFS';

export interface FaultPlan {
  kind: FaultKind;
  /** The 1-based number of the changing I/O call (write, truncate, fsync, rename, unlink, ...) that faults. */
  at: number;
  /** For `kill`: where in the call. */
  when: 'before' | 'after' | 'torn';
}

export interface FaultCounter {
  /** Changing I/O calls made so far. */
  calls: number;
  /** True once a full-disk or read-only fault fired. */
  fired: boolean;
  /** Ends the fault: the disk has room again, the folder is writable again. */
  heal(): void;
}

type Op = 'write' | 'create' | 'rename' | 'delete' | 'sync' | 'truncate' | 'mkdir';

function faultError(kind: 'ENOSPC' | 'EROFS', what: string): Error {
  const text = kind === 'ENOSPC' ? 'no space left on device' : 'read-only file system';
  return Object.assign(new Error(`${kind}: ${text}, ${what}`), { code: kind });
}

/**
 * Wraps a file store so that the `plan.at`-th changing I/O call faults. Without a plan it only
 * counts, which tells a harness how many fault points an operation has.
 */
export function faultStore(inner: FileStore, plan: FaultPlan | null): FileStore & FaultCounter {
  let healed = false;
  const counter = { calls: 0, fired: false };
  const failing = (op: Op): boolean => {
    if (plan === null || plan.kind === 'kill' || healed || !counter.fired) return false;
    if (plan.kind === 'EROFS') return op !== 'sync';
    return (
      op === 'write' || op === 'create' || op === 'rename' || op === 'truncate' || op === 'mkdir'
    );
  };
  /** Runs one changing call through the plan. */
  const step = async <T>(
    op: Op,
    what: string,
    run: () => Promise<T>,
    torn?: () => Promise<void>,
  ): Promise<T> => {
    counter.calls += 1;
    if (plan !== null && counter.calls === plan.at) {
      if (plan.kind === 'kill') {
        if (plan.when === 'torn' && torn !== undefined) await torn();
        if (plan.when === 'after') await run();
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => undefined);
      } else counter.fired = true;
    }
    if (failing(op) && plan !== null && plan.kind !== 'kill') throw faultError(plan.kind, what);
    return run();
  };
  const wrap = (path: string, h: FileHandle): FileHandle => ({
    read: (buffer, position) => h.read(buffer, position),
    size: () => h.size(),
    close: () => h.close(),
    write: (buffer, position) =>
      step(
        'write',
        `write ${path}`,
        () => h.write(buffer, position),
        () => h.write(buffer.subarray(0, Math.floor(buffer.length / 2 / 512) * 512), position),
      ),
    truncate: (length) => step('truncate', `truncate ${path}`, () => h.truncate(length)),
    sync: () => step('sync', `fsync ${path}`, () => h.sync()),
  });
  const store = {
    ...inner,
    open: async (path: string, mode: OpenMode): Promise<FileHandle> => {
      if (mode === 'r') return inner.open(path, mode);
      return wrap(
        path,
        await step(mode === 'wx' ? 'create' : 'write', `open ${path}`, () =>
          inner.open(path, mode),
        ),
      );
    },
    readFile: (path: string) => inner.readFile(path),
    exists: (path: string) => inner.exists(path),
    stat: (path: string) => inner.stat(path),
    list: (path: string) => inner.list(path),
    writeFileAtomic: (path: string, data: Uint8Array) =>
      step('write', `write ${path}`, () => inner.writeFileAtomic(path, data)),
    rename: (from: string, to: string) =>
      step('rename', `rename ${from}`, () => inner.rename(from, to)),
    unlink: (path: string) => step('delete', `unlink ${path}`, () => inner.unlink(path)),
    // Creating a folder that exists changes nothing, even on a full or read-only disk.
    mkdirp: async (path: string) => {
      if (!(await inner.exists(path)))
        await step('mkdir', `mkdir ${path}`, () => inner.mkdirp(path));
    },
    removeTree: (path: string) => step('delete', `remove ${path}`, () => inner.removeTree(path)),
    get calls() {
      return counter.calls;
    },
    get fired() {
      return counter.fired;
    },
    heal: () => {
      healed = true;
    },
  };
  return store;
}
