import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileStore } from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';

const temps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of temps) await cleanup();
});

async function aStore() {
  const { dir, cleanup } = await makeTempDir();
  temps.push(cleanup);
  return nodeFileStore(dir);
}

/** Whether the event loop turned (a setImmediate ran) while `work` was under way. */
async function loopTurnedDuring(work: () => Promise<unknown>): Promise<boolean> {
  let turned = false;
  const immediate = setImmediate(() => (turned = true));
  await work();
  clearImmediate(immediate);
  return turned;
}

const MiB = 1024 * 1024;

describe('nodeFileStore: where reads and writes run', () => {
  it('by default, 1 MiB reads and writes leave the event loop free while they run (thread pool)', async () => {
    const store = await aStore();
    const h = await store.open('disk.bin', 'wx');
    const data = new Uint8Array(MiB).fill(0x3c);
    expect(await loopTurnedDuring(() => h.write(data, 0))).toBe(true);
    const back = new Uint8Array(MiB);
    expect(await loopTurnedDuring(() => h.read(back, 0))).toBe(true);
    expect(back.every((b) => b === 0x3c)).toBe(true);
    await h.close();
  });

  it('a handle opened with ioOnTheSpot: up to 1 MiB on the spot, larger through the pool', async () => {
    const store = await aStore();
    const h = await store.open('disk.bin', 'wx', { ioOnTheSpot: true });
    const data = new Uint8Array(MiB).fill(0x5a);
    expect(await loopTurnedDuring(() => h.write(data, 0))).toBe(false);
    const back = new Uint8Array(MiB);
    expect(await loopTurnedDuring(() => h.read(back, 0))).toBe(false);
    expect(back.every((b) => b === 0x5a)).toBe(true);
    expect(await loopTurnedDuring(() => h.write(new Uint8Array(2 * MiB), MiB))).toBe(true);
    // Another handle of the same file, opened as usual, keeps the pool and reads what it wrote.
    const other = await store.open('disk.bin', 'r');
    expect(await loopTurnedDuring(() => other.read(back.fill(0), 0))).toBe(true);
    expect(back.every((b) => b === 0x5a)).toBe(true);
    await other.close();
    await h.close();
  });
});
