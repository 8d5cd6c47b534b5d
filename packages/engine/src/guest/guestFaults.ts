/**
 * How the simulated faults of `GuestSimulation` act on the guest (see guestSimulationTypes.ts).
 * Pure functions of the VM's record and its running guest, for the checkpoint planner and the
 * state machine.
 */
import { EngineError, ErrorCode } from '../errors.js';
import type { GuestSimulation } from '../guestSimulationTypes.js';
import type { VmFile } from '../persistence/records.js';
import type { GuestRuntime } from './guestRuntime.js';

export const NO_GUEST_FAULTS: GuestSimulation = {
  vssWriterFails: false,
  backupDaemonStopped: false,
  ignoresShutdown: false,
};

export function guestFaultsOf(file: Pick<VmFile, 'guestSimulation'>): GuestSimulation {
  return { ...NO_GUEST_FAULTS, ...file.guestSimulation };
}

/**
 * Why a running guest that could otherwise quiesce cannot, because of a simulated fault:
 * - the backup daemon stopped: Microsoft's own Linux test expects a Standard checkpoint when
 *   hv_vss_daemon is stopped and the type is Production (behaviour spec §1.4, S52), and a failed
 *   checkpoint when the fallback is off (S60);
 * - the VSS writer fails: the guest's VSS freeze does not complete, so no production checkpoint
 *   can be made; that Hyper-V then falls back as for a guest that cannot quiesce is the spec's
 *   rule for a guest that cannot prepare its disks (§1.5, inferred for this case).
 * Each says so on the guest's console.
 */
export function simulatedQuiesceFault(
  file: Pick<VmFile, 'guestSimulation'>,
  guest: GuestRuntime,
): 'backup-daemon-stopped' | 'vss-writer-failed' | null {
  const faults = guestFaultsOf(file);
  if (faults.backupDaemonStopped) {
    guest.say(
      `Backup request from the host not answered: ${guest.image.quiesce === 'filesystem' ? 'hv_vss_daemon' : 'the Hyper-V Volume Shadow Copy Requestor service'} is stopped (simulated fault).`,
    );
    return 'backup-daemon-stopped';
  }
  if (faults.vssWriterFails && guest.image.quiesce === 'application') {
    guest.say(
      `VSS: the writer of ${guest.image.application} failed at the freeze (simulated fault); the shadow copy was not made.`,
    );
    return 'vss-writer-failed';
  }
  return null;
}

/**
 * Shut Down of a guest that does not answer (the `ignoresShutdown` fault): after the wait the VM
 * is still Running and the action fails. Stop-VM then reports "Failed to stop." with CategoryInfo
 * NotSpecified and FullyQualifiedErrorId OperationFailed,Microsoft.HyperV.PowerShell.Commands.StopVM
 * (a public transcript: MattHodge/PackerTemplates#18), and the VM stays Running (hashicorp/vagrant
 * #12637). Hyper-V's further lines for this case are not known; the second sentence is ours.
 */
export function shutdownNotAnswered(vmName: string): EngineError {
  return new EngineError(
    ErrorCode.OperationFailed,
    `Failed to stop. The guest operating system of '${vmName}' did not answer the shutdown request (simulated fault); it is still running. Use Turn Off to stop it.`,
    { vmName, operation: 'shut-down' },
  );
}
