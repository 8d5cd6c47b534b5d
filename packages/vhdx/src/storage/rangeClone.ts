import { fstat } from 'node:fs';
import { createRequire } from 'node:module';
import type { FileRange } from './fileStore.js';

/**
 * Byte ranges between two open files, moved by the kernel: block cloning (reflink) through the
 * `FICLONERANGE` ioctl and in-kernel copies through `copy_file_range`, which Node does not offer.
 * Both are called in this process through `koffi` (a maintained FFI binding shipped with prebuilt
 * binaries), on its worker threads, so the event loop never waits for the disk: no helper
 * process, no interpreter to start. XFS (with reflink) and Btrfs share the blocks, so a clone is
 * metadata-only; other file systems (ext4, tmpfs) refuse, which the first clone on a file system
 * finds out once (the answer is kept per device), and callers copy instead. A kernel copy moves
 * the data from page cache to page cache without passing it through this process.
 */

/** `_IOW(0x94, 13, struct file_clone_range)` from <linux/fs.h>. */
const FICLONERANGE = 0x4020940d;

/** errno values that mean "this file system (or kernel) cannot clone", not "this range failed". */
const UNSUPPORTED_ERRNOS = new Set([
  95, // EOPNOTSUPP
  18, // EXDEV
  25, // ENOTTY
  22, // EINVAL: block size or alignment the file system refuses
  1, // EPERM
  38, // ENOSYS
]);

type Callback = (error: unknown, result: unknown) => void;
interface AsyncFn {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}

export interface Kernel {
  ioctl: AsyncFn;
  copyFileRange: AsyncFn;
  fadvise: AsyncFn;
  errno: () => number;
}

/** `POSIX_FADV_DONTNEED` from <fcntl.h> (Linux). */
const FADV_DONTNEED = 4;

let kernel: Kernel | null | undefined;

/**
 * The system calls through libc (`ioctl`, `copy_file_range`, `posix_fadvise`), or null where they
 * cannot be had (not Linux, no binding).
 * Loading the binding takes tens of milliseconds: `nodeFileStore` does it when it is made, so that
 * a merge does not wait for it.
 */
export function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (process.platform !== 'linux') return kernel;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as {
      load: (name: string) => { func: (signature: string) => AsyncFn };
      errno: () => number;
    };
    const libc = koffi.load('libc.so.6');
    kernel = {
      // Declared with its one pointer argument (not variadic) so that it can run on a worker
      // thread; on Linux's x86-64 and arm64 calling conventions the two are the same call.
      ioctl: libc.func('int ioctl(int fd, unsigned long request, void *arg)'),
      copyFileRange: libc.func(
        'int64_t copy_file_range(int fd_in, int64_t *off_in, int fd_out, int64_t *off_out, size_t len, unsigned int flags)',
      ),
      fadvise: libc.func('int posix_fadvise(int fd, int64_t offset, int64_t len, int advice)'),
      errno: () => koffi.errno(),
    };
  } catch {
    kernel = null;
  }
  return kernel;
}

function callAsync(fn: AsyncFn, args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const done: Callback = (error, result) => {
      if (error !== null && error !== undefined)
        reject(error instanceof Error ? error : new Error(`koffi: ${JSON.stringify(error)}`));
      else resolve(Number(result));
    };
    fn.async(...args, done);
  });
}

/** `struct file_clone_range { __s64 src_fd; __u64 src_offset, src_length, dest_offset; }`. */
function cloneArgument(sourceFd: number, range: FileRange): Buffer {
  const arg = Buffer.alloc(32);
  arg.writeBigInt64LE(BigInt(sourceFd), 0);
  arg.writeBigUInt64LE(BigInt(range.from), 8);
  arg.writeBigUInt64LE(BigInt(range.length), 16);
  arg.writeBigUInt64LE(BigInt(range.to), 24);
  return arg;
}

const deviceSupport = new Map<number, boolean>();

function deviceOf(fd: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fstat(fd, (error, st) => (error ? reject(error) : resolve(st.dev)));
  });
}

/** Clones and kernel copies between the same two files, one request at a time, in order. */
export class RangeCopier {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kernel: Kernel,
    private readonly sourceFd: number,
    private readonly targetFd: number,
    /** Null when the two files lie on different devices (no clone possible). */
    private readonly device: number | null,
  ) {}

  /** A copier when the kernel calls can be made here (Linux, the binding loads), else null. */
  static async between(sourceFd: number, targetFd: number): Promise<RangeCopier | null> {
    const k = loadKernel();
    if (k === null) return null;
    const [a, b] = await Promise.all([deviceOf(sourceFd), deviceOf(targetFd)]);
    return new RangeCopier(k, sourceFd, targetFd, a === b ? b : null);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Clones one range; returns 0 when done, else the errno that refused it. */
  private async cloneOne(range: FileRange): Promise<number> {
    const { ioctl, errno } = this.kernel;
    const arg = cloneArgument(this.sourceFd, range);
    if ((await callAsync(ioctl, [this.targetFd, FICLONERANGE, arg])) === 0) return 0;
    // errno belongs to the worker thread that ran the call: the same clone (which changes
    // nothing when it fails) is asked again on this thread to read it.
    if (ioctl(this.targetFd, FICLONERANGE, arg) === 0) return 0;
    return errno() || 5;
  }

  /**
   * Clones `ranges` in order; returns how many, from the first, are now shared. Offsets and
   * lengths should be multiples of 64 KiB (the largest file-system block size) for the clone to be
   * accepted. The ranges after the count are untouched and left to the caller to copy.
   */
  clone(ranges: readonly FileRange[]): Promise<number> {
    const device = this.device;
    if (device === null || deviceSupport.get(device) === false) return Promise.resolve(0);
    return this.serial(async () => {
      let done = 0;
      for (const range of ranges) {
        const errno = await this.cloneOne(range);
        if (errno !== 0) {
          if (done === 0 && UNSUPPORTED_ERRNOS.has(errno) && deviceSupport.get(device) !== true)
            deviceSupport.set(device, false);
          break;
        }
        done += 1;
        deviceSupport.set(device, true);
      }
      return done;
    });
  }

  /** Copies one range in the kernel (a short copy goes on from where it stopped); false when refused. */
  private async copyOne(range: FileRange): Promise<boolean> {
    const offIn = new BigInt64Array([BigInt(range.from)]);
    const offOut = new BigInt64Array([BigInt(range.to)]);
    let left = range.length;
    while (left > 0) {
      const n = await callAsync(this.kernel.copyFileRange, [
        this.sourceFd,
        offIn,
        this.targetFd,
        offOut,
        left,
        0,
      ]);
      // -1 (refused: another file system, an old kernel) or 0 (the source ends): not copied.
      if (!(n > 0)) return false;
      left -= n;
    }
    return true;
  }

  /** Copies `ranges` in order in the kernel; returns how many, from the first, were copied. */
  copy(ranges: readonly FileRange[]): Promise<number> {
    return this.serial(async () => {
      let done = 0;
      for (const range of ranges) {
        if (!(await this.copyOne(range))) break;
        done += 1;
        // The source's pages were read once, for this copy (a merge reads each child block once,
        // then deletes the child): they leave the page cache now, rather than pushing other files'
        // pages (a running guest's) out of it. Advice only: its outcome changes nothing, but it is
        // waited for, so that it never reaches the descriptor after `close`.
        await callAsync(this.kernel.fadvise, [
          this.sourceFd,
          range.from,
          range.length,
          FADV_DONTNEED,
        ]).catch(() => 0);
      }
      return done;
    });
  }

  /** Waits for the requests under way. */
  async close(): Promise<void> {
    await this.queue;
  }
}

/** What is known of a device's cloning: true, false, or undefined before the first attempt. */
export function cloningKnownFor(device: number): boolean | undefined {
  return deviceSupport.get(device);
}
