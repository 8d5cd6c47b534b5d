import type { HostContext, VmRuntime } from '../host/hostContext.js';
import type { GuestConsole, IntegrationServices } from '../types.js';
import { currentUptimeMs } from '../vm/vmView.js';
import { runsUnderQemu } from '../hypervisor/qemuVm.js';
import { findGuestImage } from './gallery.js';

const SERVICE_NAMES: Record<keyof IntegrationServices, string> = {
  operatingSystemShutdown: 'Operating system shutdown',
  timeSynchronization: 'Time synchronization',
  dataExchange: 'Data Exchange',
  heartbeat: 'Heartbeat',
  backup: 'Backup (volume shadow copy)',
  guestServices: 'Guest services',
};

/** Virtual Machine Connection: what the guest's console shows now. */
export function getGuestConsole(ctx: HostContext, vm: VmRuntime): GuestConsole {
  const image = findGuestImage(vm.file.configuration.guestImage);
  const memory = vm.guest?.memory ?? null;
  const partner = vm.file.replicationPartner;
  const services = vm.file.configuration.integrationServices;
  return {
    vmId: vm.file.id,
    vmName: vm.file.name,
    state: vm.state,
    guestImage: image?.name ?? null,
    os: image?.os ?? null,
    application: image?.application ?? null,
    running: vm.guest !== null,
    uptimeMs: currentUptimeMs(ctx, vm),
    committedTransactions: memory?.lastCommitted ?? 0,
    inFlightTransactions: [...(memory?.inFlight ?? [])],
    dirtyPages: memory === null ? 0 : new Set([...memory.dirty, ...memory.osCache]).size,
    boot: memory === null ? null : { ...memory.boot },
    replication:
      image?.domainController === true && partner !== undefined
        ? partner.rollbackDetected
          ? {
              status: 'UsnRollbackDetected',
              message: `The replication partner detected a USN rollback: it has seen USN ${partner.highestUsnSeen} from this domain controller and stopped replicating with it.`,
            }
          : {
              status: 'Healthy',
              message: `The replication partner is up to date with USN ${partner.highestUsnSeen}.`,
            }
        : null,
    integrationServices: (Object.keys(SERVICE_NAMES) as (keyof IntegrationServices)[]).map(
      (key) => ({
        name: SERVICE_NAMES[key],
        enabled: services[key],
        inGuest: image?.integrationServices ?? false,
      }),
    ),
    lines: [...(memory?.lines ?? [])],
    serialConsole: runsUnderQemu(ctx, vm),
    observedAt: ctx.clock.now().toISOString(),
  };
}
