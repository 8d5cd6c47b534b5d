import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { toUserError } from './fileSystemError.js';

const DATA = '/home/olivia/hyperv-data';

/** The error Node's fs gives for `syscall` on `path` (same fields, same message). */
function nodeError(code: string, errno: number, syscall: string, path: string): Error {
  const what: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EBUSY: 'resource busy or locked',
    ENOSPC: 'no space left on device',
  };
  return Object.assign(new Error(`${code}: ${what[code] ?? 'failed'}, ${syscall} '${path}'`), {
    code,
    errno,
    syscall,
    path,
  });
}

/** A store on the data folder DATA whose next matching call fails as Node's fs would. */
function failingStore(): {
  store: FileStore;
  failNext: (code: string, errno: number, match: (path: string, mode?: string) => boolean) => void;
} {
  const inner = memoryFileStore();
  let plan: {
    code: string;
    errno: number;
    match: (path: string, mode?: string) => boolean;
  } | null = null;
  const check = (syscall: string, path: string, mode?: string): void => {
    if (!plan?.match(path, mode)) return;
    const { code, errno } = plan;
    plan = null;
    throw nodeError(code, errno, syscall, `${DATA}/${path}`);
  };
  const store: FileStore = {
    ...inner,
    open: async (path, mode) => {
      check('open', path, mode);
      return inner.open(path, mode);
    },
    writeFileAtomic: async (path, data) => {
      check('open', path, 'wx');
      await inner.writeFileAtomic(path, data);
    },
  };
  return {
    store,
    failNext: (code, errno, match) => {
      plan = { code, errno, match };
    },
  };
}

describe('raw file-system errors never reach users (Windows words, no host paths)', () => {
  it.each([
    [
      'ENOENT',
      -2,
      "'Virtual Hard Disks/a.avhdx': The system cannot find the file specified. (0x80070002)",
    ],
    ['EACCES', -13, "'Virtual Hard Disks/a.avhdx': Access is denied. (0x80070005)"],
    [
      'EBUSY',
      -16,
      "'Virtual Hard Disks/a.avhdx': The process cannot access the file because it is being used by another process. (0x80070020)",
    ],
    [
      'ENOSPC',
      -28,
      "'Virtual Hard Disks/a.avhdx': There is not enough space on the disk. (0x80070070)",
    ],
  ])('%s reads as Win32 says it, its code kept', (code, errno, message) => {
    const shown = toUserError(
      nodeError(code, errno, 'open', `${DATA}/Virtual Hard Disks/a.avhdx`),
      DATA,
    );
    expect(shown).toMatchObject({ code });
    expect(shown.message).toBe(message);
  });

  it('a path outside the data folder shows only its name; an unknown code is "Unspecified error"', () => {
    expect(toUserError(nodeError('EXDEV', -18, 'rename', '/mnt/other/b.vhdx'), DATA).message).toBe(
      "'b.vhdx': Unspecified error (0x80004005)",
    );
  });

  it('a thrown error: the caller and the event log get Windows words, the log port gets the detail', async () => {
    const { store, failNext } = failingStore();
    const logged: string[] = [];
    const { host } = await createTestHost({
      store,
      dataLocation: DATA,
      logError: (message) => logged.push(message),
    });
    const vm = await buildVm(host, { name: 'WEB-01', guestImage: null });
    failNext('EBUSY', -16, (path, mode) => path.endsWith('.avhdx') && mode === 'wx');

    const error: unknown = await host.createCheckpoint(vm.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EBUSY' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /^'Virtual Hard Disks\/WEB-01_[0-9A-F-]{36}\.avhdx': The process cannot access the file because it is being used by another process\. \(0x80070020\)$/,
    );
    const [entry] = (await host.queryEventLog()).entries;
    expect(entry?.message).toContain('The process cannot access the file');
    expect(entry?.message).not.toContain(DATA);
    expect(logged.join('\n')).toContain(`${DATA}/Virtual Hard Disks/WEB-01_`);
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  it('a failed background merge: the task and the event log say it in Windows words', async () => {
    const { store, failNext } = failingStore();
    const logged: string[] = [];
    const { host } = await createTestHost({
      store,
      dataLocation: DATA,
      logError: (message) => logged.push(message),
    });
    const vm = await buildVm(host, { name: 'DB-01', guestImage: null });
    const first = await host.createCheckpoint(vm.id);
    await host.createCheckpoint(vm.id);
    failNext('EACCES', -13, (path, mode) => path.endsWith('vhdx') && mode === 'r+');
    const { task } = await host.deleteCheckpoint(vm.id, first.id);
    await host.whenIdle();

    const failed = host.getTask(task?.id ?? ('' as never));
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatchObject({ code: 'EACCES' });
    expect(failed.error?.message).toMatch(/Access is denied\. \(0x80070005\)$/);
    expect(failed.error?.message).not.toContain(DATA);
    const messages = (await host.queryEventLog()).entries.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/^The background disk merge for 'DB-01' failed\. .*Access is denied\./),
    );
    expect(messages.join('\n')).not.toContain(DATA);
    expect(logged.join('\n')).toContain(DATA);
  });
});
