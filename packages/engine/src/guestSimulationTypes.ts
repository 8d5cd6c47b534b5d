/**
 * Faults a demo can inject into a VM's simulated guest, so that Hyper-V's fallback and failure
 * paths can be shown. Not Hyper-V's: a simulation extension (`Host.setGuestSimulation`, the REST
 * route `PUT /vms/{vmId}/guest-simulation`, `Set-VMGuestSimulation`, the Settings dialog's "Guest
 * (simulation)" page). Kept in the VM's configuration file; absent: no fault.
 */
export interface GuestSimulation {
  /**
   * The application's VSS writer fails at the freeze (guests with a writer: SQL Server, the
   * domain controller): Production falls back to Standard, ProductionOnly fails.
   */
  vssWriterFails: boolean;
  /**
   * The backup daemon inside the guest is stopped (hv_vss_daemon in a Linux guest, the Hyper-V
   * Volume Shadow Copy Requestor service in a Windows one): no production checkpoint.
   */
  backupDaemonStopped: boolean;
  /** The guest does not answer a shutdown request: Shut Down (Stop-VM) fails and it keeps running. */
  ignoresShutdown: boolean;
}

/** The faults to change; the others keep their value. */
export type GuestSimulationUpdate = { [K in keyof GuestSimulation]?: boolean | undefined };
