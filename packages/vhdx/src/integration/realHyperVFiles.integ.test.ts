import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDisk, nodeFileStore, openDisk, type FileStore } from '../index.js';
import {
  gunzipTestFile,
  HAS_TESTDATA,
  makeTempDir,
  TESTDATA_MISSING,
} from '../test-support/externalTools.js';
import { sha256OfDisk } from '../test-support/patterns.js';

const PARENT = 'Generation 1_49C4BAF3-4B25-4406-8C4B-D39E65C32385.avhdx';

describe.skipIf(!HAS_TESTDATA)(
  `real Hyper-V files${HAS_TESTDATA ? '' : ` (skipped: ${TESTDATA_MISSING})`}`,
  () => {
    let store: FileStore;
    let cleanup: () => Promise<void> = () => Promise.resolve();
    beforeAll(async () => {
      const tmp = await makeTempDir();
      cleanup = tmp.cleanup;
      for (const f of [
        'dynamic.vhdx.gz',
        'fixed.vhdx.gz',
        'differencing.avhdx.gz',
        `${PARENT}.gz`,
      ]) {
        await gunzipTestFile(f, tmp.dir);
      }
      store = nodeFileStore(tmp.dir);
    });
    afterAll(() => cleanup());

    it('reads dynamic.vhdx with the documented content hash and fields', async () => {
      const disk = await openDisk(store, 'dynamic.vhdx');
      expect(disk.info).toMatchObject({
        type: 'Dynamic',
        virtualSize: 10 * 1024 * 1024,
        blockSize: 32 * 1024 * 1024,
        logicalSectorSize: 512,
        physicalSectorSize: 4096,
        virtualDiskId: '788015f0-5e93-4bd2-a5de-b0cd8459db11',
        dataWriteGuid: '28e09ae1-ab94-4815-a155-f143e2d00a3f',
        creator: 'Microsoft Windows 10.0.18363.0',
        parentPath: null,
      });
      expect(await sha256OfDisk(disk)).toBe(
        '8e2b5e9265d694b42b81819e3bff29770eff4ed0f4f9f311693ff3dbdc93efac',
      );
      await disk.close();
    });

    it('reads fixed.vhdx with the documented content hash', async () => {
      const disk = await openDisk(store, 'fixed.vhdx');
      expect(disk.info).toMatchObject({
        type: 'Fixed',
        blockSize: 2 * 1024 * 1024,
        virtualDiskId: '4a49d245-db0a-4634-9818-9f93db5ba6c1',
      });
      expect(await sha256OfDisk(disk)).toBe(
        'bc0be4623b15aa84216fb31ba24e3b621ec7f1c72d198c990ac0eced222d9f62',
      );
      await disk.close();
    });

    it('reads the real differencing child through its parent with the documented chain hash', async () => {
      const info = await inspectDisk(store, 'differencing.avhdx');
      expect(info).toMatchObject({
        type: 'Differencing',
        virtualSize: 8 * 1024 * 1024 * 1024,
        parentPath: PARENT,
        parentLinkage: '{ff34003b-11ed-4cf8-a166-b2be05e20b80}',
        dataWriteGuid: 'b298d413-f67e-412a-9a72-c7c7fc9b6cb5',
        creator: 'Microsoft Windows 10.0.17763.0',
      });
      expect(info.chain.map((d) => d.path)).toEqual(['differencing.avhdx', PARENT]);
      const disk = await openDisk(store, 'differencing.avhdx');
      expect(await sha256OfDisk(disk)).toBe(
        '10d5051c19782c7462eec740ffe2bc553f771fa67005336229e0c364d807cb11',
      );
      await disk.close();
    }, 300_000);

    it('opening read-only changes no byte of the files', async () => {
      const before = await store.readFile('dynamic.vhdx');
      const disk = await openDisk(store, 'dynamic.vhdx');
      await disk.read(new Uint8Array(4096), 0);
      await disk.close();
      expect(Buffer.from(await store.readFile('dynamic.vhdx')).equals(Buffer.from(before))).toBe(
        true,
      );
    });
  },
);
