/** The types a VM's QEMU guest is known by in the host's context (no imports of the host). */
import type { QemuGuest, QemuGuestOptions } from './qemuGuest.js';

/** The boot files of a QEMU gallery image (`@hvm/guest-image`'s GuestImage has this shape). */
export type QemuGuestImage = QemuGuestOptions['image'];

/** Where the host gets a QEMU gallery image's boot files (the server fills it from `ensureGuestImage`). */
export type QemuGuestImageSource = (name: string) => Promise<QemuGuestImage>;

/** A VM's QEMU guest while it runs or is paused, and the heartbeat last heard from it. */
export interface QemuVmGuest {
  readonly guest: QemuGuest;
  heartbeat: 'OK' | 'NoContact';
  /** The addresses the guest last reported (Key-Value Pair Exchange), asked with the heartbeat. */
  ipAddresses: readonly string[];
  /** Each network adapter's addresses, by adapter ID (matched by its device's MAC address). */
  adapterIpAddresses: Readonly<Record<string, readonly string[]>>;
  stopHeartbeat: () => void;
}
