import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAtomicWriteTemporary, makePrivateFolder, writeFileAtomic } from './index.js';

const newFolder = () => mkdtempSync(join(tmpdir(), 'hvm-filestore-'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Makes the next whole-file write of any node file handle fail as on a full disk. */
async function nextWriteFailsWithDiskFull(folder: string) {
  const probe = await open(join(folder, '.probe'), 'w');
  const fileHandle = Object.getPrototypeOf(probe) as typeof probe;
  await probe.close();
  const spy = vi
    .spyOn(fileHandle, 'writeFile')
    .mockRejectedValueOnce(
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    );
  return { restore: () => spy.mockRestore() };
}

describe('writeFileAtomic', () => {
  afterEach(() => vi.restoreAllMocks());

  it('replaces the whole file, readable by its owner only, and leaves nothing else behind', async () => {
    const folder = newFolder();
    const path = join(folder, 'accounts.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new text\n');
    await writeFileAtomic(join(folder, 'disk.bin'), new Uint8Array([1, 2, 3]));
    expect(readFileSync(path, 'utf8')).toBe('new text\n');
    expect([...readFileSync(join(folder, 'disk.bin'))]).toEqual([1, 2, 3]);
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual(['accounts.json', 'disk.bin']);
  });

  it('keeps the old file and leaves no temporary copy when the write fails (disk full)', async () => {
    const folder = newFolder();
    const path = join(folder, 'config.json');
    writeFileSync(path, 'old');
    const diskFull = await nextWriteFailsWithDiskFull(folder);
    try {
      await expect(writeFileAtomic(path, 'new')).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      diskFull.restore();
    }
    expect(readdirSync(folder).sort()).toEqual(['.probe', 'config.json']);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('leaves no temporary copy when the rename fails', async () => {
    const folder = newFolder();
    mkdirSync(join(folder, 'taken', 'inside'), { recursive: true });
    await expect(writeFileAtomic(join(folder, 'taken'), 'text')).rejects.toThrow();
    expect(readdirSync(folder)).toEqual(['taken']);
  });
});

describe('isAtomicWriteTemporary', () => {
  it('recognises the temporary copies of a write cut short, of any file or of one', () => {
    expect(isAtomicWriteTemporary('.vm.json.0a1b2c3d4e5f.tmp')).toBe(true);
    expect(isAtomicWriteTemporary('.vm.json.0a1b2c3d4e5f.tmp', 'vm.json')).toBe(true);
    expect(isAtomicWriteTemporary('.vm.json.0a1b2c3d4e5f.tmp', 'other.json')).toBe(false);
    expect(isAtomicWriteTemporary('vm.json')).toBe(false);
    expect(isAtomicWriteTemporary('.vm.json.tmp')).toBe(false);
    expect(isAtomicWriteTemporary('.vm.json.0A1B2C3D4E5F.tmp')).toBe(false);
  });
});

describe('makePrivateFolder', () => {
  it('creates every missing folder on the path for its owner only', async () => {
    const folder = newFolder();
    await makePrivateFolder(join(folder, 'Security', 'deeper'));
    expect(modeOf(join(folder, 'Security'))).toBe(0o700);
    expect(modeOf(join(folder, 'Security', 'deeper'))).toBe(0o700);
    await makePrivateFolder(join(folder, 'Security'));
  });
});
