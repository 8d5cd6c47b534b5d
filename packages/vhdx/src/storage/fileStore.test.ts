import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFileStore, nodeFileStore, type FileStore } from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';

const temps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of temps) await cleanup();
});

const stores: [string, () => Promise<FileStore>][] = [
  ['memoryFileStore', () => Promise.resolve(memoryFileStore())],
  [
    'nodeFileStore',
    async () => {
      const { dir, cleanup } = await makeTempDir();
      temps.push(cleanup);
      return nodeFileStore(dir);
    },
  ],
];

describe.each(stores)('%s', (_name, makeStore) => {
  it('reads on the spot (readNow, where offered) what a read returns, short at the end of the file', async () => {
    const store = await makeStore();
    const h = await store.open('now.bin', 'wx');
    await h.write(new Uint8Array([5, 6, 7, 8]), 4094);
    if (h.readNow !== undefined) {
      const now = new Uint8Array(4096).fill(9);
      const later = new Uint8Array(4096).fill(9);
      expect(h.readNow(now, 4090)).toBe(8);
      expect(await h.read(later, 4090)).toBe(8);
      expect(now).toEqual(later);
      expect([...now.subarray(0, 9)]).toEqual([0, 0, 0, 0, 5, 6, 7, 8, 9]);
    }
    await h.close();
  });

  it('creates, writes, reads, grows and truncates files', async () => {
    const store = await makeStore();
    await store.mkdirp('a/b');
    const h = await store.open('a/b/f.bin', 'wx');
    await h.write(new Uint8Array([1, 2, 3]), 10);
    expect(await h.size()).toBe(13);
    const buf = new Uint8Array(20).fill(9);
    expect(await h.read(buf, 0)).toBe(13);
    expect([...buf.subarray(0, 13)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    await h.truncate(11);
    expect(await h.read(buf, 0)).toBe(11);
    await h.truncate(5 * 1024 * 1024);
    const tail = new Uint8Array(4);
    expect(await h.read(tail, 5 * 1024 * 1024 - 4)).toBe(4);
    expect([...tail]).toEqual([0, 0, 0, 0]);
    await h.sync();
    await h.close();
    expect((await store.stat('a/b/f.bin')).size).toBe(5 * 1024 * 1024);
    expect([...(await store.readFile('a/b/f.bin')).subarray(9, 12)]).toEqual([0, 1, 0]);
  });

  it('reports missing and existing files with ENOENT and EEXIST', async () => {
    const store = await makeStore();
    await expect(store.open('missing.bin', 'r')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.readFile('missing.bin')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.stat('missing.bin')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.unlink('missing.bin')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.open('no/folder.bin', 'wx')).rejects.toMatchObject({ code: 'ENOENT' });
    await (await store.open('x.bin', 'wx')).close();
    await expect(store.open('x.bin', 'wx')).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('refuses absolute paths and paths that leave the root', async () => {
    const store = await makeStore();
    await expect(store.open('/etc/passwd', 'r')).rejects.toThrow();
    await expect(store.readFile('../outside')).rejects.toThrow();
    await expect(store.writeFileAtomic('a/../../x', new Uint8Array(1))).rejects.toThrow();
  });

  it('writes files atomically, lists, renames, unlinks and removes trees', async () => {
    const store = await makeStore();
    await store.mkdirp('vm/Snapshots');
    await store.writeFileAtomic('vm/config.json', new Uint8Array([1]));
    await store.writeFileAtomic('vm/config.json', new Uint8Array([2, 3]));
    expect([...(await store.readFile('vm/config.json'))]).toEqual([2, 3]);
    expect((await store.list('vm')).sort()).toEqual(['Snapshots', 'config.json']);
    expect(await store.list('nothing-here')).toEqual([]);
    await store.rename('vm/config.json', 'vm/Snapshots/c.json');
    expect(await store.exists('vm/config.json')).toBe(false);
    expect(await store.exists('vm/Snapshots/c.json')).toBe(true);
    expect((await store.stat('vm/Snapshots')).isDirectory).toBe(true);
    await store.unlink('vm/Snapshots/c.json');
    expect(await store.list('vm/Snapshots')).toEqual([]);
    await store.writeFileAtomic('vm/Snapshots/d.json', new Uint8Array([4]));
    await store.removeTree('vm');
    expect(await store.exists('vm')).toBe(false);
    await store.removeTree('vm');
  });

  it('keeps sparse files cheap: allocatedBytes counts written data only', async () => {
    const store = await makeStore();
    const h = await store.open('sparse.bin', 'wx');
    await h.truncate(1024 * 1024 * 1024 * 1024);
    await h.write(new Uint8Array(4096).fill(1), 512 * 1024 * 1024 * 1024);
    await h.close();
    const s = await store.stat('sparse.bin');
    expect(s.size).toBe(1024 * 1024 * 1024 * 1024);
    expect(s.allocatedBytes).toBeGreaterThan(0);
    expect(s.allocatedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('realpath: a plain path, existing or not, leads where it says', async () => {
    const store = await makeStore();
    await store.mkdirp('Exports/old');
    expect(await store.realpath('Exports/old')).toBe('Exports/old');
    expect(await store.realpath('Exports/new/VM')).toBe('Exports/new/VM');
    expect(await store.realpath('./Exports//old/')).toBe('Exports/old');
    expect(await store.realpath('')).toBe('');
    await expect(store.realpath('../etc')).rejects.toThrow();
    await expect(store.realpath('/etc')).rejects.toThrow();
  });

  it('refuses writes through a read-only handle', async () => {
    const store = await makeStore();
    await (await store.open('ro.bin', 'wx')).close();
    const h = await store.open('ro.bin', 'r');
    await expect(h.write(new Uint8Array(1), 0)).rejects.toThrow();
    await h.close();
  });
});

describe('nodeFileStore realpath with symbolic links', () => {
  async function linkedStore(): Promise<{ dir: string; outside: string; store: FileStore }> {
    const { dir, cleanup } = await makeTempDir();
    temps.push(cleanup);
    const other = await makeTempDir();
    temps.push(other.cleanup);
    await mkdir(join(dir, 'data', 'Real'), { recursive: true });
    return { dir: join(dir, 'data'), outside: other.dir, store: nodeFileStore(join(dir, 'data')) };
  }

  it('follows a link that stays inside the root', async () => {
    const { dir, store } = await linkedStore();
    await symlink(join(dir, 'Real'), join(dir, 'Alias'));
    expect(await store.realpath('Alias')).toBe('Real');
    expect(await store.realpath('Alias/new/file.vhdx')).toBe('Real/new/file.vhdx');
  });

  it('answers null for a link that leads outside the root, or to /etc', async () => {
    const { dir, outside, store } = await linkedStore();
    await symlink(outside, join(dir, 'Out'));
    await symlink('/etc', join(dir, 'Real', 'etc'));
    expect(await store.realpath('Out')).toBeNull();
    expect(await store.realpath('Out/new/VM')).toBeNull();
    expect(await store.realpath('Real/etc/passwd')).toBeNull();
    expect(await store.realpath('Real/etc')).toBeNull();
  });

  it('answers null for a dangling link, whose target is unknown', async () => {
    const { dir, store } = await linkedStore();
    await symlink('/nonexistent/place', join(dir, 'Dangling'));
    expect(await store.realpath('Dangling')).toBeNull();
    expect(await store.realpath('Dangling/VM')).toBeNull();
  });
});
