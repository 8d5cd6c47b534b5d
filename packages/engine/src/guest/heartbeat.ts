/**
 * Whether the guest answers the host's integration services, and Get-VM's Heartbeat from it.
 *
 * Hyper-V reports a guest that sends no heartbeat as "No Contact": a guest without integration
 * services (behaviour spec R34, [B]), and a guest that has not booted yet (Hyper-V Manager shows
 * "No Contact" while a VM boots: microsoft/lis-test#1104). PowerShell's value is `NoContact` of
 * the `VMHeartbeatStatus` enum; `OkApplicationsUnknown` when the guest answers but reports no
 * application health (the value a running guest with integration services shows:
 * MicrosoftDocs/windowsserverdocs#5313).
 */
import type { VmState } from '@hvm/contracts';
import { VmHeartbeatStatus } from '../types.js';
import type { GuestMachine, GuestRuntime } from './guestRuntime.js';

/** The VM as the heartbeat sees it: its record, its state and its running guest, if any. */
export interface HeartbeatSource extends Pick<GuestMachine, 'file'> {
  readonly state: VmState;
  readonly guest: GuestRuntime | null;
  /** A QEMU host's guest: the heartbeat last heard from its agent. */
  readonly qemu?: { readonly heartbeat: 'OK' | 'NoContact' } | null;
}

/** The guest answers: the VM runs a booted operating system that has integration services. */
export function integrationServicesInContact(vm: HeartbeatSource): boolean {
  if (vm.state !== 'Running') return false;
  if (vm.qemu !== undefined && vm.qemu !== null) return vm.qemu.heartbeat === 'OK';
  if (vm.guest === null) return false;
  if (vm.file.configuration.guestImage === null) return false;
  return vm.guest.booted && vm.guest.image.integrationServices;
}

/**
 * Get-VM's Heartbeat: null unless the VM is Running (what Hyper-V reports for an Off or Saved VM
 * is not documented; null keeps the property empty), Disabled when the Heartbeat service is off
 * in the VM's settings (the enum's Disabled; no transcript of this case was found), NoContact when no guest answers, else OkApplicationsUnknown.
 */
export function heartbeatStatus(vm: HeartbeatSource): VmHeartbeatStatus | null {
  if (vm.state !== 'Running') return null;
  if (!vm.file.configuration.integrationServices.heartbeat) return VmHeartbeatStatus.Disabled;
  return integrationServicesInContact(vm)
    ? VmHeartbeatStatus.OkApplicationsUnknown
    : VmHeartbeatStatus.NoContact;
}
