import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { buildVm, createTestHost } from '../testing/index.js';
import { requireOutsideTools, sevenZipTestVhdx } from '../testing/outsideTools.js';

const root = mkdtempSync(join(tmpdir(), 'hvm-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an exported and imported chain on real files', () => {
  it('is a chain whose files qemu-img, 7-Zip and libvhdi accept, each pointing at its copied parent; links are refused', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-img', '7zz', 'vhdiinfo']);
    const store = nodeFileStore(root);
    const { host } = await createTestHost({ store, dataLocation: root });
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'one' });
    await host.createCheckpoint(vm.id, { name: 'two' });
    await host.exportVm(vm.id, { path: 'Exports' });
    await host.whenIdle();
    const copy = await host.importVm({
      path: `Exports/${vm.name}`,
      mode: 'copy',
      newName: 'COPY',
      vhdDestinationPath: 'Imported',
    });
    // The view names the disk by its full path on this host (storage/hostPaths.ts).
    const now = copy.hardDrives[0]?.path ?? '';
    expect(now.startsWith(`${root}/Imported/`)).toBe(true);

    const files = readdirSync(join(root, 'Imported')).map((name) => join(root, 'Imported', name));
    // The base disk and two differencing disks: the one the second checkpoint froze, and Now's.
    expect(files.filter((f) => f.endsWith('.avhdx'))).toHaveLength(2);
    const base = files.find((f) => f.endsWith('.vhdx')) ?? '';
    // qemu-img reads no VHDX parent locators: it checks the copied base disk.
    execFileSync('qemu-img', ['check', '-f', 'vhdx', base], { stdio: 'pipe' });
    // 7-Zip opens each differencing disk through its parent locator and reads every sector.
    for (const file of files) sevenZipTestVhdx(file);
    // libvhdi reads each differencing disk's parent locator: the parent it names is the copy's.
    const info = execFileSync('vhdiinfo', [now]).toString();
    expect(info).toMatch(/Parent filename\s*:\s*.*Imported/);

    // A disk of the export replaced by a link to a file outside the data folder is refused.
    const exported = join(root, 'Exports', vm.name, 'Virtual Hard Disks', `${vm.name}.vhdx`);
    rmSync(exported);
    symlinkSync('/etc/hostname', exported);
    let error: unknown = null;
    try {
      await host.compareVm({ path: `Exports/${vm.name}`, mode: 'copy' });
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
    await host.close();
  });
});
