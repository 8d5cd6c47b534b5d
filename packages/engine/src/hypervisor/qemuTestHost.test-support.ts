/**
 * What the QEMU integration tests share: a test host whose guests run under QEMU with TCG (the
 * gallery's images built on demand), a tiny-linux VM on it, and a VM's running QEMU guest.
 */
import {
  ensureGuestImage,
  parseGuestSerialLine,
  type GuestImageName,
  type GuestSerialLine,
} from '@hvm/guest-image';
import type { SerialConsole } from '@hvm/qemu';
import type { FileStore } from '@hvm/vhdx';
import type { Host } from '../host/host.js';
import { createTestHost, qemuGuestOf, type TestHost } from '../testing/index.js';
import type { VmDetail, VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';

export async function createQemuTestHost(store: FileStore): Promise<TestHost> {
  await ensureGuestImage('tiny-linux');
  return createTestHost({
    store,
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
  });
}

/** A VM of the guest image with 192 MB of memory and a new 64 MiB disk. */
export function createGuestVm(
  host: Host,
  name: string,
  image: GuestImageName = 'tiny-linux',
): Promise<VmDetail> {
  return host.createVm({
    name,
    memoryStartupMB: 192,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: image,
  });
}

/** The VM's running QEMU guest; throws when it has none. */
export function requireQemuGuest(host: Host | undefined, vmId: VmId): QemuGuest {
  const guest = host === undefined ? null : qemuGuestOf(host, vmId);
  if (guest === null) throw new Error('the VM has no QEMU guest');
  return guest;
}

/** A ledger line of the guest's workload: its committed and in-flight records, boot and uptime. */
export type LedgerLine = Extract<GuestSerialLine, { kind: 'ledger' }>;

/**
 * The next ledger line the guest prints that satisfies `accept`; fails after `timeoutMs` with the
 * end of the console's output, to show what the guest did instead.
 */
export function nextLedgerLine(
  serial: Pick<SerialConsole, 'onLine' | 'text'>,
  accept: (line: LedgerLine) => boolean,
  timeoutMs: number,
): Promise<LedgerLine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ledger line in time; console:\n${serial.text().slice(-3000)}`));
    }, timeoutMs);
    const stop = serial.onLine((line) => {
      const parsed = parseGuestSerialLine(line);
      if (parsed?.kind !== 'ledger' || !accept(parsed)) return;
      clearTimeout(timer);
      stop();
      resolve(parsed);
    });
  });
}
