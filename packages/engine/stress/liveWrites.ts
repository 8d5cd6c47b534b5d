import { openDisk, type FileStore } from '@hvm/vhdx';
import type { HostPorts } from '@hvm/engine';
import { vhdxDiskLibrary } from '@hvm/engine/testing';
import { PROBES, PROBE_LENGTH } from './patterns.js';

type DiskLibrary = NonNullable<HostPorts['disks']>;

async function probesOf(
  store: FileStore,
  path: string,
): Promise<{ offset: number; data: Uint8Array }[]> {
  const disk = await openDisk(store, path);
  try {
    const out: { offset: number; data: Uint8Array }[] = [];
    for (const offset of PROBES) {
      const data = new Uint8Array(PROBE_LENGTH);
      await disk.read(data, offset);
      out.push({ offset, data });
    }
    return out;
  } finally {
    await disk.close();
  }
}

/**
 * The real disk library, with a guest that writes during every live merge of its own disk: at
 * each progress report it writes every probe again with what it holds (the model's content does
 * not change), through the live-merge writes. A kill, a full disk or a read-only folder then
 * meets guest writes in the middle of the copy, and the check finds any probe they damaged.
 */
export function liveWritingLibrary(): DiskLibrary {
  return {
    ...vhdxDiskLibrary,
    async mergeDisk(store, childPath, options) {
      const live = options.live;
      if (live?.path !== childPath) return vhdxDiskLibrary.mergeDisk(store, childPath, options);
      const probes = await probesOf(store, childPath);
      const writes: Promise<void>[] = [];
      try {
        await vhdxDiskLibrary.mergeDisk(store, childPath, {
          ...options,
          onProgress: (percent) => {
            options.onProgress(percent);
            writes.push(live.write(probes).catch(() => undefined));
          },
        });
      } finally {
        await Promise.all(writes);
      }
    },
  };
}
