import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  mergeDisk,
  nodeFileStore,
  reparentDisk,
} from '../index.js';
import { VhdxFile } from '../disk/vhdxFile.js';
import { makeTempDir, requireTools, run } from '../test-support/externalTools.js';
import type { FileStore } from '../storage/fileStore.js';
import { MiB } from '../test-support/patterns.js';

async function locatorOf(store: FileStore, path: string): Promise<Record<string, string>> {
  const file = await VhdxFile.open(store, path, false, { metadataOnly: true });
  try {
    return Object.fromEntries(file.meta.parentLocator?.entries ?? []);
  } finally {
    await file.close();
  }
}

/** `/srv/hv/a.vhdx` as this host's Windows-style absolute path: `Z:\srv\hv\a.vhdx`. */
function asWin32(posixPath: string): string {
  return 'Z:' + posixPath.split('/').join('\\');
}

/*
 * MS-VHDX §2.6.2.6 (parent locator keys): absolute_win32_path is the parent's absolute Win32
 * path; Hyper-V writes a drive-letter path such as `C:\Users\...` (vhdx-format.md, "Parent
 * locator", observed).
 * A Linux host has no drive letters: the Unix root is written as drive Z:, the mapping Wine uses
 * for it ("The system root is displayed as Z:", https://wiki.winehq.org/Cmd), so the value is an
 * absolute Win32 path that names this host's real file. relative_path stays the one the spec
 * resolves first.
 */
describe('absolute_win32_path', () => {
  it('holds the parent’s absolute path on this host; as vhdiinfo shows it', async (ctx) => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const store = nodeFileStore(dir);
      await createDynamicDisk(store, 'Virtual Hard Disks/base.vhdx', { virtualSize: 8 * MiB });
      await createDifferencingDisk(
        store,
        'Virtual Hard Disks/c.avhdx',
        'Virtual Hard Disks/base.vhdx',
      );
      const loc = await locatorOf(store, 'Virtual Hard Disks/c.avhdx');
      expect(loc.absolute_win32_path).toBe(asWin32(join(dir, 'Virtual Hard Disks', 'base.vhdx')));
      expect(loc.relative_path).toBe('.\\base.vhdx');
      requireTools(ctx, 'vhdiinfo');
      const info = run('vhdiinfo', [join(dir, 'Virtual Hard Disks', 'c.avhdx')]);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stdout.toString()).toContain(
        `Parent filename\t\t: ${asWin32(join(dir, 'Virtual Hard Disks', 'base.vhdx'))}`,
      );
    } finally {
      await cleanup();
    }
  });

  it('follows the parent when a child is re-pointed or its parent merged away', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const store = nodeFileStore(dir);
      await createDynamicDisk(store, 'Disks/base.vhdx', { virtualSize: 8 * MiB });
      await createDifferencingDisk(store, 'Disks/mid.avhdx', 'Disks/base.vhdx');
      await createDifferencingDisk(store, 'Disks/top.avhdx', 'Disks/mid.avhdx');
      expect((await locatorOf(store, 'Disks/top.avhdx')).absolute_win32_path).toBe(
        asWin32(join(dir, 'Disks', 'mid.avhdx')),
      );
      await mergeDisk(store, 'Disks/mid.avhdx', { children: ['Disks/top.avhdx'] });
      const merged = await locatorOf(store, 'Disks/top.avhdx');
      expect(merged.absolute_win32_path).toBe(asWin32(join(dir, 'Disks', 'base.vhdx')));
      expect(merged.relative_path).toBe('.\\base.vhdx');
      await createDynamicDisk(store, 'Other/second.vhdx', { virtualSize: 8 * MiB });
      await reparentDisk(store, 'Disks/top.avhdx', 'Other/second.vhdx');
      const moved = await locatorOf(store, 'Disks/top.avhdx');
      expect(moved.absolute_win32_path).toBe(asWin32(join(dir, 'Other', 'second.vhdx')));
      expect(moved.relative_path).toBe('..\\Other\\second.vhdx');
    } finally {
      await cleanup();
    }
  });
});
