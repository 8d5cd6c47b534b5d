/**
 * The VM-Generation ID: a 128-bit, cryptographically random value the hypervisor shows the guest
 * (through the "Microsoft Hyper-V Generation Counter" device), so that software inside can tell
 * that it runs again from an earlier point (Microsoft Learn, "Virtual machine generation
 * identifier": supported from Hyper-V in Windows Server 2012 / Windows 8; behaviour spec R32).
 *
 * When it changes, as Microsoft's VM-Generation ID specification lists it (quoted by libvirt's
 * domain XML documentation, `genid`): the VM starts executing a snapshot (Apply, Revert), is
 * recovered from backup, fails over in a disaster recovery environment, or is imported, copied or
 * cloned (Import-VM in every mode). Pausing, resuming a saved state, rebooting and live migration
 * keep it, so a Saved VM's Start keeps it (Apply of a checkpoint with memory gives a new one).
 *
 * Hyper-V's PowerShell has no property for it (Get-VM shows none); the REST VM body's
 * `vmGenerationId` is this simulator's extension. It is drawn from `crypto.randomUUID` (not the
 * host's ID source), so tests' predictable GUID sequences are not shifted by it.
 */
import { randomUUID } from 'node:crypto';

export function newVmGenerationId(): string {
  return randomUUID().toLowerCase();
}
