import type { Host } from '../host.js';
import { contextOf } from '../host/hostRegistry.js';
import type { HostContext } from '../host/hostContext.js';
import type { VmId } from '../types.js';

/** A protective MBR and a GPT header signature: what a freshly partitioned GPT disk starts with. */
function gptStart(diskSizeBytes: number): Uint8Array {
  const bytes = new Uint8Array(1024);
  const view = new DataView(bytes.buffer);
  // Protective MBR: one partition of type 0xEE covering the disk.
  bytes[446 + 4] = 0xee;
  view.setUint32(446 + 8, 1, true);
  view.setUint32(446 + 12, Math.min(0xffffffff, diskSizeBytes / 512 - 1), true);
  bytes[510] = 0x55;
  bytes[511] = 0xaa;
  bytes.set(new TextEncoder().encode('EFI PART'), 512);
  view.setUint32(512 + 8, 0x00010000, true);
  view.setUint32(512 + 12, 92, true);
  return bytes;
}

/** An MBR with one active NTFS partition, as a generation 1 guest has. */
function mbrStart(diskSizeBytes: number): Uint8Array {
  const bytes = new Uint8Array(512);
  const view = new DataView(bytes.buffer);
  bytes[446] = 0x80;
  bytes[446 + 4] = 0x07;
  view.setUint32(446 + 8, 2048, true);
  view.setUint32(446 + 12, Math.min(0xffffffff, diskSizeBytes / 512 - 2048), true);
  bytes[510] = 0x55;
  bytes[511] = 0xaa;
  return bytes;
}

async function writeToNow(
  ctx: HostContext,
  host: Host,
  vmId: VmId,
  offset: number,
  data: Uint8Array,
): Promise<void> {
  const drive = host.getVm(vmId).hardDrives[0];
  if (drive !== undefined) await ctx.disks.writeDisk(ctx.store, drive.path, offset, data);
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

/**
 * The demo host: four VMs with real dynamic disks holding a partition table, two of them running,
 * one with checkpoints. Used when a new data folder is opened with `seedDemo`.
 */
export async function seedDemoHost(host: Host): Promise<void> {
  const ctx = contextOf(host);
  const GB = 1024 ** 3;

  const sql = await host.createVm({
    name: 'SQL-PROD-01',
    generation: 2,
    memoryStartupMB: 4096,
    guestImage: 'windows-server-2016-sql',
  });
  await writeToNow(ctx, host, sql.id, 0, gptStart(sql.hardDrives[0]?.virtualSizeBytes ?? 127 * GB));
  await host.changeVmState(sql.id, 'start');

  const web = await host.createVm({
    name: 'WEB-UBUNTU-01',
    generation: 2,
    memoryStartupMB: 2048,
    guestImage: 'ubuntu-22.04-postgres',
  });
  await writeToNow(ctx, host, web.id, 0, gptStart(web.hardDrives[0]?.virtualSizeBytes ?? 127 * GB));
  await writeToNow(
    ctx,
    host,
    web.id,
    1024 * 1024,
    text('postgresql 14 data directory, cluster main\n'),
  );
  await host.changeVmState(web.id, 'start');
  await host.createCheckpoint(web.id, { name: 'Before PostgreSQL 16 upgrade' });
  await writeToNow(
    ctx,
    host,
    web.id,
    1024 * 1024,
    text('postgresql 16 data directory, cluster main\n'),
  );
  await host.createCheckpoint(web.id, { name: 'After PostgreSQL 16 upgrade' });

  const dc = await host.createVm({
    name: 'DC-01',
    generation: 2,
    memoryStartupMB: 2048,
    guestImage: 'windows-server-2019-dc',
  });
  await writeToNow(ctx, host, dc.id, 0, gptStart(dc.hardDrives[0]?.virtualSizeBytes ?? 127 * GB));
  // Domain controllers support only production checkpoints.
  await host.updateVmSettings(dc.id, { checkpointType: 'ProductionOnly' });

  const legacy = await host.createVm({
    name: 'LEGACY-NT',
    generation: 1,
    memoryStartupMB: 512,
    diskSizeBytes: 8 * GB,
    guestImage: 'windows-nt-4.0',
  });
  await writeToNow(ctx, host, legacy.id, 0, mbrStart(8 * GB));
  await host.updateVmSettings(legacy.id, {
    checkpointType: 'Standard',
    integrationServices: {
      operatingSystemShutdown: false,
      timeSynchronization: false,
      dataExchange: false,
      heartbeat: false,
      backup: false,
      guestServices: false,
    },
  });
}
