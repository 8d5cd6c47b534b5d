import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

describe('leftovers of an atomic write cut short by a crash (real folder)', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('the hidden temporary copies the node store writes before their rename (VM, checkpoint, export journal) are removed on load', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hvm-atomic-'));
    folders.push(folder);
    const test = await createTestHost({ store: nodeFileStore(folder) });
    const vm = await buildVm(test.host, { guestImage: null });
    const checkpoint = await test.host.createCheckpoint(vm.id);
    await test.host.close();
    const before = {
      vms: readdirSync(join(folder, 'Virtual Machines')).sort(),
      snapshots: readdirSync(join(folder, 'Snapshots')).sort(),
    };
    // What `writeFileAtomic` leaves when the process dies between writing the copy and renaming it.
    writeFileSync(join(folder, 'Virtual Machines', `.${vm.id}.json.0a1b2c3d4e5f.tmp`), '{"half":');
    writeFileSync(join(folder, 'Snapshots', `.${checkpoint.id}.json.9f8e7d6c5b4a.tmp`), '{');
    const root = readdirSync(folder).sort();
    writeFileSync(join(folder, '.exports-in-progress.json.717b14022d5d.tmp'), '{"partial":[');

    const again = await test.restart({ close: false });
    expect(readdirSync(join(folder, 'Virtual Machines')).sort()).toEqual(before.vms);
    expect(readdirSync(join(folder, 'Snapshots')).sort()).toEqual(before.snapshots);
    expect(readdirSync(folder).sort()).toEqual(root);
    expect(again.listCheckpoints(vm.id).checkpoints).toHaveLength(1);
    await again.close();
  });
});
