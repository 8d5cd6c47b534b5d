import type { Host } from '../host/host.js';
import { contextOf } from '../host/hostRegistry.js';
import type { HostContext } from '../host/hostContext.js';
import type { VmId } from '../types.js';

/** Lets the demo's running guests do some work, as if time had passed. */
async function runWorkload(ctx: HostContext, vmId: VmId, ticks: number): Promise<void> {
  await ctx.vms.get(vmId)?.guest?.runTicks(ticks);
}

/**
 * The demo host: four VMs with the gallery's guests installed on real dynamic disks, three of
 * them running their workloads, two with production checkpoints. Used when a new data folder is opened with `seedDemo`.
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
  await host.changeVmState(sql.id, 'start');
  await runWorkload(ctx, sql.id, 12);
  await host.createCheckpoint(sql.id, { name: 'Before index rebuild' });
  await runWorkload(ctx, sql.id, 7);

  const web = await host.createVm({
    name: 'WEB-UBUNTU-01',
    generation: 2,
    memoryStartupMB: 2048,
    guestImage: 'ubuntu-22.04-postgres',
  });
  await host.changeVmState(web.id, 'start');
  await runWorkload(ctx, web.id, 8);
  await host.createCheckpoint(web.id, { name: 'Before PostgreSQL 16 upgrade' });
  await runWorkload(ctx, web.id, 4);
  await host.createCheckpoint(web.id, { name: 'After PostgreSQL 16 upgrade' });
  await runWorkload(ctx, web.id, 3);

  const dc = await host.createVm({
    name: 'DC-01',
    generation: 2,
    memoryStartupMB: 2048,
    guestImage: 'windows-server-2016-dc',
  });
  // Domain controllers support only production checkpoints.
  await host.updateVmSettings(dc.id, { checkpointType: 'ProductionOnly' });
  await host.changeVmState(dc.id, 'start');
  await runWorkload(ctx, dc.id, 5);

  const legacy = await host.createVm({
    name: 'LEGACY-NT',
    generation: 1,
    memoryStartupMB: 512,
    diskSizeBytes: 8 * GB,
    guestImage: 'legacy-no-integration',
  });
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
