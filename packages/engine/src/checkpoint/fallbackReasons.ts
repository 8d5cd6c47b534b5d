/**
 * Why a Production checkpoint could not quiesce the guest, in words: for the checkpoint's note,
 * the event log, the ProductionOnly failure and any hypervisor that takes checkpoints (no imports
 * of the host, so a hypervisor can use them without a circle).
 */
import type { ProductionFallbackReason } from '../types.js';

/** Why the guest cannot quiesce: a fallback reason of the guest, or not running at all. */
export type QuiesceBlocker = 'guest-not-running' | ProductionFallbackReason;

/** Each reason in words, for the note, the event log and the ProductionOnly failure. */
export const REASON_TEXT: Record<QuiesceBlocker, string> = {
  'guest-not-running': 'the guest is not running',
  // Only in checkpoint files written before an Off VM's checkpoint became a Production one.
  'vm-off': 'the virtual machine is off (disk-only checkpoint)',
  'vm-saved': 'the virtual machine is saved, so no guest can prepare its disks',
  'vm-paused': 'the virtual machine is paused, so no guest can prepare its disks',
  'no-operating-system': 'no operating system is running in the guest',
  'guest-not-booted': 'the guest did not boot an operating system and does not answer',
  'no-integration-services':
    'the guest has no integration services installed (no Backup (volume shadow copy) service in the guest)',
  'backup-service-off': 'the Backup (volume shadow copy) integration service is off',
  'backup-daemon-stopped':
    'the backup daemon in the guest is not running (hv_vss_daemon, or the Hyper-V Volume Shadow Copy Requestor service)',
  'vss-writer-failed':
    "a VSS writer in the guest failed, so the guest's disks could not be prepared",
};

/** The reason in words, e.g. "the virtual machine is saved, so no guest can prepare its disks". */
export function fallbackReasonText(reason: ProductionFallbackReason): string {
  return REASON_TEXT[reason];
}
