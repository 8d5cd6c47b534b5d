import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, fstat } from 'node:fs';
import type { Writable } from 'node:stream';
import type { FileRange } from './fileStore.js';

/**
 * Byte ranges between two open files, moved by the kernel: block cloning (reflink) through the
 * `FICLONERANGE` ioctl and in-kernel copies through `copy_file_range`, which Node does not offer.
 * A small `python3` process does them on the two file descriptors it inherits (3: source,
 * 4: destination). XFS (with reflink) and Btrfs share the blocks, so a clone is metadata-only;
 * other file systems (ext4, tmpfs) refuse, which the first clone on a file system finds out once
 * (the answer is kept per device), and callers copy instead. A kernel copy moves the data from
 * page cache to page cache without passing it through this process.
 */

const SCRIPT = `
import fcntl, struct, sys
FICLONERANGE = getattr(fcntl, 'FICLONERANGE', 0x4020940d)
import os
done = 0
failed = 0
for line in sys.stdin:
    parts = line.split()
    if not parts:
        sys.stdout.write('%d %d\\n' % (done, failed))
        sys.stdout.flush()
        done = 0
        failed = 0
        continue
    if failed:
        continue
    src, dst, length = (int(p) for p in parts[1:])
    try:
        if parts[0] == 'clone':
            fcntl.ioctl(4, FICLONERANGE, struct.pack('qQQQ', 3, src, length, dst))
        else:
            while length > 0:
                n = os.copy_file_range(3, 4, length, src, dst)
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

type Helper = ChildProcess & { stdin: Writable };

/** One helper process serving several batches between the same two files. */
export class RangeCopier {
  private helper: Helper | null = null;
  private lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private buffered = '';

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

  private start(): Helper {
    const child = spawn(pythonCommand(), ['-S', '-E', '-c', SCRIPT], {
      stdio: ['pipe', 'pipe', 'ignore', this.sourceFd, this.targetFd],
    });
    const { stdin, stdout } = child;
    if (stdin === null || stdout === null) throw new Error('the clone helper has no pipes');
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let at: number;
      while ((at = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(this.buffered.slice(0, at));
        this.buffered = this.buffered.slice(at + 1);
      }
      this.deliver();
    });
    const end = (): void => {
      this.helper = null;
      this.lines.push('');
      this.deliver();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') pythonMissing = true;
      end();
    });
    child.on('close', end);
    stdin.on('error', () => undefined);
    return Object.assign(child, { stdin });
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

  private nextLine(): Promise<string | null> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.deliver();
    });
  }

  /** Runs one batch; returns how many ranges, from the first, were done, and the errno that stopped it. */
  private async batch(
    verb: 'clone' | 'copy',
    ranges: readonly FileRange[],
  ): Promise<{ done: number; errno: number }> {
    if (pythonMissing) return { done: 0, errno: 0 };
    this.helper ??= this.start();
    if (ranges.length === 0) return { done: 0, errno: 0 };
    const body = ranges.map((r) => `${verb} ${r.from} ${r.to} ${r.length}\n`).join('') + '\n';
    this.helper.stdin.write(body);
    const reply = await this.nextLine();
    if (reply === null) return { done: 0, errno: 0 };
    const [done = 0, errno = 0] = reply.split(' ').map(Number);
    return { done, errno };
  }

  /**
   * Clones `ranges` in order; returns how many, from the first, are now shared. Offsets and
   * lengths should be multiples of 64 KiB (the largest file-system block size) for the clone to be
   * accepted. The ranges after the count are untouched and left to the caller to copy. An empty
   * list starts the helper, so that the first real batch is quick.
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

  async close(): Promise<void> {
    const helper = this.helper;
    if (helper === null) return;
    this.helper = null;
    if (helper.exitCode !== null || helper.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      helper.once('close', () => resolve());
      helper.stdin.end();
    });
  }
}

/** What is known of a device's cloning: true, false, or undefined before the first attempt. */
export function cloningKnownFor(device: number): boolean | undefined {
  return deviceSupport.get(device);
}
