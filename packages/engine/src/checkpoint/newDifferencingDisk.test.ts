import { describe, expect, it } from 'vitest';
import { memoryFileStore } from '../disk/diskLibrary.js';
import type { HostContext } from '../host/hostContext.js';
import { newDifferencingDiskPath } from './newDifferencingDisk.js';

/** Just what naming a disk needs of a host: its store and its GUIDs, given in order. */
function naming(guids: string[]): HostContext {
  const store = memoryFileStore();
  return {
    store,
    ids: { newGuid: () => guids.shift() ?? 'FFFFFFFF-0000-0000-0000-000000000000' },
  } as unknown as HostContext;
}

const A = 'AAAAAAAA-0000-0000-0000-000000000000';
const B = 'BBBBBBBB-0000-0000-0000-000000000000';

describe('the name of a new differencing disk', () => {
  it('is not one a merged child still holds through its pending deletion', async () => {
    const ctx = naming([A, B]);
    await ctx.store.mkdirp('d');
    // The merged child's file is gone, its merge record (its pending deletion) is not yet.
    await ctx.store.writeFileAtomic(`d/base_${A}.avhdx.merge.json`, new Uint8Array([123, 125]));
    expect(await newDifferencingDiskPath(ctx, 'd/base.vhdx')).toBe(`d/base_${B}.avhdx`);
  });

  it('is not one an existing file holds', async () => {
    const ctx = naming([A, B]);
    await ctx.store.mkdirp('d');
    await ctx.store.writeFileAtomic(`d/base_${A}.avhdx`, new Uint8Array(1));
    expect(await newDifferencingDiskPath(ctx, 'd/base.vhdx')).toBe(`d/base_${B}.avhdx`);
  });
});
