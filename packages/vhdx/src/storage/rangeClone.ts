import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, fstat } from 'node:fs';
import type { Writable } from 'node:stream';
import type { FileRange } from './fileStore.js';

/**
 * Byte ranges between two open files, moved by the kernel: block cloning (reflink) through the
 * `FICLONERANGE` ioctl and in-kernel copies through `copy_file_range`, which Node does not offer.
 * A small `python3` process does them: each batch names the two files by their descriptors in
 * this process (`/proc/<pid>/fd/<n>`), which it opens, works on and closes. XFS (with reflink) and
 * Btrfs share the blocks, so a clone is metadata-only; other file systems (ext4, tmpfs) refuse,
 * which the first clone on a file system finds out once (the answer is kept per device), and
 * callers copy instead. A kernel copy moves the data from page cache to page cache without
 * passing it through this process.
 *
 * Helpers are kept warm between merges: a copier takes an idle one (or starts one) and gives it
 * back when it closes, and one more is started ahead for the next copier, so that a merge does not
 * wait for an interpreter to start. Idle helpers do not keep this process alive and end with it.
 */

const SCRIPT = `
import fcntl, struct, sys, os
FICLONERANGE = getattr(fcntl, 'FICLONERANGE', 0x4020940d)
done = 0
failed = 0
src_fd = dst_fd = -1
def close_files():
    global src_fd, dst_fd
    for fd in (src_fd, dst_fd):
        if fd >= 0:
            os.close(fd)
    src_fd = dst_fd = -1
for line in sys.stdin:
    parts = line.split()
    if not parts:
        close_files()
        sys.stdout.write('%d %d\\n' % (done, failed))
        sys.stdout.flush()
        done = 0
        failed = 0
        continue
    if failed:
        continue
    try:
        if parts[0] == 'open':
            close_files()
            src_fd = os.open(parts[1], os.O_RDONLY)
            dst_fd = os.open(parts[2], os.O_WRONLY)
            continue
        src, dst, length = (int(p) for p in parts[1:])
        if parts[0] == 'clone':
            fcntl.ioctl(dst_fd, FICLONERANGE, struct.pack('qQQQ', src_fd, src, length, dst))
        else:
            while length > 0:
                n = os.copy_file_range(src_fd, dst_fd, length, src, dst)
                if n <= 0:
                    raise OSError(5, 'short copy')
                src, dst, length = src + n, dst + n, length - n
        done += 1
    except OSError as e:
        failed = e.errno or 1
`;

/** errno values that mean "this file system (or kernel) cannot clone", not "this range failed". */
const UNSUPPORTED_ERRNOS = new Set([
  95, // EOPNOTSUPP
  18, // EXDEV
  25, // ENOTTY
  22, // EINVAL: block size or alignment the file system refuses
  1, // EPERM
  38, // ENOSYS
]);

const deviceSupport = new Map<number, boolean>();
let pythonMissing = false;

function pythonCommand(): string {
  // The system interpreter starts fastest; version managers' shims add a shell script.
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function deviceOf(fd: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fstat(fd, (error, st) => (error ? reject(error) : resolve(st.dev)));
  });
}

/** One helper process: batches of lines in, one answer line per batch out. */
class Helper {
  private lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private buffered = '';
  ended = false;

  private constructor(private readonly child: ChildProcess & { stdin: Writable }) {}

  static start(): Helper {
    const child = spawn(pythonCommand(), ['-S', '-E', '-c', SCRIPT], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const { stdin, stdout } = child;
    if (stdin === null || stdout === null) throw new Error('the clone helper has no pipes');
    const helper = new Helper(Object.assign(child, { stdin }));
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      helper.buffered += chunk;
      let at: number;
      while ((at = helper.buffered.indexOf('\n')) >= 0) {
        helper.lines.push(helper.buffered.slice(0, at));
        helper.buffered = helper.buffered.slice(at + 1);
      }
      helper.deliver();
    });
    const end = (): void => {
      helper.ended = true;
      idle.delete(helper);
      helper.lines.push('');
      helper.deliver();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') pythonMissing = true;
      end();
    });
    child.on('close', end);
    stdin.on('error', () => undefined);
    return helper;
  }

  /** While idle it does not keep this process alive; while working it does. */
  hold(held: boolean): void {
    const streams = [this.child.stdin, this.child.stdout] as unknown as ({
      ref?: () => void;
      unref?: () => void;
    } | null)[];
    for (const stream of streams) {
      if (held) stream?.ref?.();
      else stream?.unref?.();
    }
    if (held) this.child.ref();
    else this.child.unref();
  }

  private deliver(): void {
    const line = this.lines.shift();
    if (line === undefined || this.waiting === null) {
      if (line !== undefined) this.lines.unshift(line);
      return;
    }
    const w = this.waiting;
    this.waiting = null;
    w(line === '' ? null : line);
  }

  /** Sends one batch; resolves with its answer line, or null when the helper has ended. */
  send(body: string): Promise<string | null> {
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.stdin.write(body);
      this.deliver();
    });
  }

  end(): void {
    this.ended = true;
    this.child.stdin.end();
  }
}

/** Warm helpers waiting for a copier (at most `MAX_IDLE`). */
const idle = new Set<Helper>();
const MAX_IDLE = 2;

function takeHelper(): Helper {
  let helper: Helper | undefined;
  for (const h of idle) {
    idle.delete(h);
    if (!h.ended) {
      helper = h;
      break;
    }
  }
  helper ??= Helper.start();
  helper.hold(true);
  // One ready for the next copier.
  if (idle.size === 0 && !pythonMissing) giveBack(Helper.start());
  return helper;
}

function giveBack(helper: Helper): void {
  if (helper.ended) return;
  if (idle.size >= MAX_IDLE) {
    helper.end();
    return;
  }
  helper.hold(false);
  idle.add(helper);
}

/** One helper serving the batches between the same two files, in order. */
export class RangeCopier {
  private helper: Helper | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly sourceFd: number,
    private readonly targetFd: number,
    /** Null when the two files lie on different devices (no clone possible). */
    private readonly device: number | null,
  ) {}

  /** A cloner when cloning might work here (Linux, same device, not known to be refused), else null. */
  static async between(sourceFd: number, targetFd: number): Promise<RangeCopier | null> {
    if (process.platform !== 'linux' || pythonMissing) return null;
    const [a, b] = await Promise.all([deviceOf(sourceFd), deviceOf(targetFd)]);
    return new RangeCopier(sourceFd, targetFd, a === b ? b : null);
  }

  /** Runs one batch; returns how many ranges, from the first, were done, and the errno that stopped it. */
  private batch(
    verb: 'clone' | 'copy',
    ranges: readonly FileRange[],
  ): Promise<{ done: number; errno: number }> {
    const run = async (): Promise<{ done: number; errno: number }> => {
      if (pythonMissing) return { done: 0, errno: 0 };
      if (this.helper === null || this.helper.ended) this.helper = takeHelper();
      if (ranges.length === 0) return { done: 0, errno: 0 };
      const fd = (n: number): string => `/proc/${process.pid}/fd/${n}`;
      const body =
        `open ${fd(this.sourceFd)} ${fd(this.targetFd)}\n` +
        ranges.map((r) => `${verb} ${r.from} ${r.to} ${r.length}\n`).join('') +
        '\n';
      const reply = await this.helper.send(body);
      if (reply === null) return { done: 0, errno: 0 };
      const [done = 0, errno = 0] = reply.split(' ').map(Number);
      return { done, errno };
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Clones `ranges` in order; returns how many, from the first, are now shared. Offsets and
   * lengths should be multiples of 64 KiB (the largest file-system block size) for the clone to be
   * accepted. The ranges after the count are untouched and left to the caller to copy. An empty
   * list takes a helper, so that the first real batch is quick.
   */
  async clone(ranges: readonly FileRange[]): Promise<number> {
    const device = this.device;
    if (device === null || deviceSupport.get(device) === false) return 0;
    const { done, errno } = await this.batch('clone', ranges);
    if (done > 0) deviceSupport.set(device, true);
    else if (errno !== 0 && UNSUPPORTED_ERRNOS.has(errno) && deviceSupport.get(device) !== true) {
      deviceSupport.set(device, false);
    }
    return done;
  }

  /** Copies `ranges` in order in the kernel; returns how many, from the first, were copied. */
  async copy(ranges: readonly FileRange[]): Promise<number> {
    return (await this.batch('copy', ranges)).done;
  }

  /** Gives the helper back for the next copier (after the batches under way). */
  async close(): Promise<void> {
    await this.queue;
    const helper = this.helper;
    this.helper = null;
    if (helper !== null) giveBack(helper);
  }
}

/** What is known of a device's cloning: true, false, or undefined before the first attempt. */
export function cloningKnownFor(device: number): boolean | undefined {
  return deviceSupport.get(device);
}
