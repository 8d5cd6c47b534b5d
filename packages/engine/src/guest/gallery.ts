import { invalidArgument } from '../errors.js';
import type { HostHypervisor } from '../hypervisor/hypervisor.js';
import type { GuestImageInfo } from '../types.js';

/** How a guest answers a VSS request from the host (behaviour spec §1.4). */
export type QuiesceMode = 'application' | 'filesystem' | 'none';

export interface GuestImage extends GuestImageInfo {
  /** VSS: the application's writer flushes everything; file system: only file-system buffers. */
  quiesce: QuiesceMode;
  /** Transactions the application begins per tick. */
  transactionsPerTick: number;
  /** Default working set of the guest's memory, MB. */
  workingSetMB: number;
  /** A domain controller: a replication partner watches its update sequence numbers. */
  domainController: boolean;
}

/** Quick Create gallery: the simulated guests an empty VM disk can be installed with. */
export const GUEST_GALLERY: readonly GuestImage[] = [
  {
    name: 'windows-server-2016-sql',
    caption: 'Windows Server 2016 with SQL Server 2016',
    os: 'Windows Server 2016 Datacenter',
    application: 'SQL Server 2016 (MSSQLSERVER)',
    integrationServices: true,
    description:
      'A transactional database with a VSS writer: a production checkpoint is application-consistent.',
    quiesce: 'application',
    transactionsPerTick: 3,
    workingSetMB: 8,
    domainController: false,
  },
  {
    name: 'ubuntu-22.04-postgres',
    caption: 'Ubuntu 22.04 LTS with PostgreSQL 14',
    os: 'Ubuntu 22.04 LTS',
    application: 'PostgreSQL 14',
    integrationServices: true,
    description:
      'hv_vss_daemon freezes the file systems (file-system consistent); PostgreSQL runs crash recovery after a restore.',
    quiesce: 'filesystem',
    transactionsPerTick: 2,
    workingSetMB: 2,
    domainController: false,
  },
  {
    name: 'windows-server-2016-dc',
    caption: 'Windows Server 2016 domain controller',
    os: 'Windows Server 2016 Standard',
    application: 'Active Directory Domain Services (NTDS)',
    integrationServices: true,
    description:
      'A domain controller with a replication partner: applying a Standard checkpoint rolls back its USNs.',
    quiesce: 'application',
    transactionsPerTick: 1,
    workingSetMB: 2,
    domainController: true,
  },
  {
    name: 'legacy-no-integration',
    caption: 'Legacy guest without integration services',
    os: 'Windows NT Server 4.0',
    application: 'Line-of-business app (Jet database)',
    integrationServices: false,
    description: 'No integration services: no production checkpoints, no Shut Down from the host.',
    quiesce: 'none',
    transactionsPerTick: 1,
    workingSetMB: 1,
    domainController: false,
  },
];

/**
 * The QEMU host's gallery: real guests booted by QEMU (`@hvm/guest-image` builds them). Their disk
 * starts empty; the guest formats it on its first boot. The simulation never runs them
 * (`findGuestImage` does not know them), so it never writes its own files on their disks.
 */
export const QEMU_GUEST_GALLERY: readonly GuestImageInfo[] = [
  {
    name: 'tiny-linux',
    caption: 'Tiny Linux with a ledger workload',
    os: 'Debian Linux kernel (busybox)',
    application: 'Append-only ledger (fsynced records)',
    integrationServices: true,
    description:
      'qemu-guest-agent freezes the file systems for a production checkpoint (file-system consistent) and answers Shut Down and the heartbeat.',
  },
  {
    name: 'tiny-linux-noagent',
    caption: 'Tiny Linux without integration services',
    os: 'Debian Linux kernel (busybox)',
    application: 'Append-only ledger (fsynced records)',
    integrationServices: false,
    description:
      'No guest agent: no production checkpoints, no heartbeat; Shut Down presses the ACPI power button.',
  },
];

/** The gallery this host offers: the simulated guests, or with QEMU the real ones. */
export function galleryOf(hypervisor: HostHypervisor): readonly GuestImageInfo[] {
  return hypervisor.kind === 'qemu' ? QEMU_GUEST_GALLERY : GUEST_GALLERY;
}

/** A simulated guest image by name; null for none and for the QEMU gallery's images. */
export function findGuestImage(name: string | null): GuestImage | null {
  if (name === null) return null;
  return GUEST_GALLERY.find((image) => image.name === name) ?? null;
}

/** A name in `gallery`, or INVALID_ARGUMENT listing the gallery. */
export function validateGuestImage(
  raw: unknown,
  gallery: readonly GuestImageInfo[] = GUEST_GALLERY,
): string | null {
  if (raw === null || raw === undefined) return null;
  const image = typeof raw === 'string' ? gallery.find((g) => g.name === raw) : undefined;
  if (image === undefined) {
    const names = gallery.map((g) => g.name).join(', ');
    throw invalidArgument(
      'guestImage',
      `Unknown guest image ${JSON.stringify(raw)}. The gallery offers: ${names}.`,
    );
  }
  return image.name;
}

export function toGuestImageInfo(image: GuestImageInfo): GuestImageInfo {
  return {
    name: image.name,
    caption: image.caption,
    os: image.os,
    application: image.application,
    integrationServices: image.integrationServices,
    description: image.description,
  };
}
