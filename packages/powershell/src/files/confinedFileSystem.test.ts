/**
 * The confined folder of a server user (nodeFileSystem.ts confinedFileSystem, scriptPaths.ts):
 * every escape attempt lands inside the folder or is refused, links are never followed, and the
 * quota holds.
 */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileFault } from './fileSystem.js';
import { confinedFileSystem } from './nodeFileSystem.js';
import { resolveConfined, resolveLocal } from './scriptPaths.js';

function faultOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FileFault) return `${error.kind} ${error.path}`;
    throw error;
  }
  return 'no fault';
}

async function faultOfAsync(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FileFault) return `${error.kind} ${error.path}`;
    throw error;
  }
  return 'no fault';
}

describe('confined paths (Files:\\)', () => {
  it('.. stops at the root, and a rooted path is rooted on Files:', () => {
    expect(resolveConfined('Files:\\', '..\\..\\etc\\passwd')).toBe('Files:\\etc\\passwd');
    expect(resolveConfined('Files:\\a', '../../../x.txt')).toBe('Files:\\x.txt');
    expect(resolveConfined('Files:\\a', '/etc/passwd')).toBe('Files:\\etc\\passwd');
    expect(resolveConfined('Files:\\a', 'Files:\\b\\.\\c.txt')).toBe('Files:\\b\\c.txt');
    expect(resolveConfined('Files:\\a', 'b.txt')).toBe('Files:\\a\\b.txt');
  });

  it('another drive does not exist (SessionStateStrings.DriveNotFound)', () => {
    expect(faultOf(() => resolveConfined('Files:\\', 'C:\\Windows\\win.ini'))).toBe(
      'drive-not-found C',
    );
    expect(faultOf(() => resolveConfined('Files:\\', 'HKLM:\\Software'))).toBe(
      'drive-not-found HKLM',
    );
  });

  it('refuses NUL and control characters, device names, invisible characters and long names', () => {
    expect(faultOf(() => resolveConfined('Files:\\', 'a\u0000.txt'))).toMatch(
      /^illegal-characters/,
    );
    expect(faultOf(() => resolveConfined('Files:\\', 'a\nb'))).toMatch(/^illegal-characters/);
    expect(faultOf(() => resolveConfined('Files:\\', 'CON'))).toBe('invalid-name Files:\\CON');
    expect(faultOf(() => resolveConfined('Files:\\', 'nul.txt'))).toBe(
      'invalid-name Files:\\nul.txt',
    );
    expect(faultOf(() => resolveConfined('Files:\\', 'Com1 .log'))).toMatch(/^invalid-name/);
    expect(faultOf(() => resolveConfined('Files:\\', 'report.'))).toMatch(/^invalid-name/);
    expect(faultOf(() => resolveConfined('Files:\\', 'a\u200bb.txt'))).toMatch(/^invalid-name/);
    expect(faultOf(() => resolveConfined('Files:\\', 'a<b'))).toMatch(/^illegal-characters/);
    expect(faultOf(() => resolveConfined('Files:\\', `${'x'.repeat(256)}.txt`))).toMatch(
      /^too-long/,
    );
    expect(faultOf(() => resolveConfined('Files:\\', `${'x\\'.repeat(130)}y`))).toMatch(
      /^too-long/,
    );
  });

  it('local paths (hvps): both separators, .. and rooted paths, no drive letters', () => {
    expect(resolveLocal('/home/olivia', 'reports\\may.txt')).toBe('/home/olivia/reports/may.txt');
    expect(resolveLocal('/home/olivia', '../x')).toBe('/home/x');
    expect(resolveLocal('/home/olivia', '/etc/hosts')).toBe('/etc/hosts');
    expect(faultOf(() => resolveLocal('/home', 'C:\\Windows'))).toBe('drive-not-found C');
  });
});

describe('the confined folder on disk', () => {
  let root: string;
  let folder: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'confined-'));
    folder = join(root, 'user');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes, appends, lists and removes inside the folder only', async () => {
    const fs = confinedFileSystem(folder);
    const path = fs.resolve(fs.home, 'a.txt');
    await fs.write(path, new TextEncoder().encode('one'), 'overwrite');
    await fs.write(path, new TextEncoder().encode('two'), 'append');
    expect(new TextDecoder().decode(await fs.read(path))).toBe('onetwo');
    expect(await faultOfAsync(fs.write(path, new Uint8Array(1), 'new'))).toBe(
      'exists Files:\\a.txt',
    );
    expect((await fs.list(fs.home)).map((i) => [i.name, i.length, i.path])).toEqual([
      ['a.txt', 6, 'Files:\\a.txt'],
    ]);
    await fs.remove(path);
    expect(await fs.stat(path)).toBeNull();
    expect(await readdir(folder)).toEqual([]);
  });

  it('a symbolic link planted in the folder is never followed, for reading or writing', async () => {
    const fs = confinedFileSystem(folder);
    await mkdir(folder, { recursive: true });
    await writeFile(join(root, 'outside.txt'), 'host secret');
    await symlink(join(root, 'outside.txt'), join(folder, 'link.txt'));
    await symlink(root, join(folder, 'up'));
    const link = fs.resolve(fs.home, 'link.txt');
    expect(await faultOfAsync(fs.read(link))).toBe('not-allowed Files:\\link.txt');
    expect(await faultOfAsync(fs.write(link, new Uint8Array(1), 'overwrite'))).toBe(
      'not-allowed Files:\\link.txt',
    );
    expect(await faultOfAsync(fs.read(fs.resolve(fs.home, 'up\\outside.txt')))).toBe(
      'not-allowed Files:\\up\\outside.txt',
    );
    expect(await faultOfAsync(fs.remove(link))).toBe('not-allowed Files:\\link.txt');
    expect((await fs.list(fs.home)).map((i) => i.name)).toEqual([]);
  });

  it('holds the quota: files, bytes in all, and the largest file', async () => {
    const fs = confinedFileSystem(folder, { maxFiles: 2, maxTotalBytes: 10, maxFileBytes: 8 });
    const at = (name: string): string => fs.resolve(fs.home, name);
    await fs.write(at('a'), new Uint8Array(4), 'overwrite');
    await fs.write(at('b'), new Uint8Array(4), 'overwrite');
    expect(await faultOfAsync(fs.write(at('c'), new Uint8Array(1), 'overwrite'))).toBe(
      'quota Files:\\c',
    );
    expect(await faultOfAsync(fs.write(at('a'), new Uint8Array(9), 'overwrite'))).toBe(
      'quota Files:\\a',
    );
    expect(await faultOfAsync(fs.write(at('a'), new Uint8Array(3), 'append'))).toBe(
      'quota Files:\\a',
    );
    // Replacing a file counts its new size, not both.
    await fs.write(at('a'), new Uint8Array(6), 'overwrite');
  });

  it('a script writes no file named as a virtual hard disk (the host lists and attaches those)', async () => {
    const fs = confinedFileSystem(folder);
    expect(
      await faultOfAsync(fs.write(fs.resolve(fs.home, 'x.VHDX'), new Uint8Array(1), 'overwrite')),
    ).toBe('disk-file Files:\\x.VHDX');
    expect(
      await faultOfAsync(fs.write(fs.resolve(fs.home, 'y.avhd'), new Uint8Array(1), 'overwrite')),
    ).toBe('disk-file Files:\\y.avhd');
  });

  it('a missing folder on the way is folder-not-found for a write, not-found for a read', async () => {
    const fs = confinedFileSystem(folder);
    const path = fs.resolve(fs.home, 'nope\\x.txt');
    expect(await faultOfAsync(fs.write(path, new Uint8Array(1), 'overwrite'))).toBe(
      'folder-not-found Files:\\nope\\x.txt',
    );
    expect(await faultOfAsync(fs.read(path))).toBe('not-found Files:\\nope\\x.txt');
  });
});
