/** Every cmdlet, found by name or alias (case-insensitive). */
import { checkpointCmdlets } from './checkpoint.js';
import { diskCmdlets } from './disk.js';
import { integrationCmdlets } from './integration.js';
import { getDate } from './getDate.js';
import { getHelp } from './getHelp.js';
import { getMember } from './getMember.js';
import { jsonCmdlets } from './json.js';
import { csvCmdlets } from './csv.js';
import { exportCsv, outFile, teeObject } from './teeObject.js';
import { formatCmdlets } from './formatCmdlets.js';
import { groupObject } from './groupObject.js';
import { measureObject } from './measureObject.js';
import { outputCmdlets } from './output.js';
import { streamCmdlets } from './streamCmdlets.js';
import type { CmdletDef } from './types.js';
import { utilityCmdlets } from './utility.js';
import { vmCmdlets } from './vm.js';
import { removeVmSavedState } from './vmSavedState.js';
import { vmGuestSimulationCmdlets } from './vmGuestSimulation.js';
import { addAsJobParameters } from '../jobs/asJob.js';
import { jobCmdlets } from './jobs.js';
import { startSleep } from './startSleep.js';
import { waitVm } from './waitVm.js';
import { withComputerName } from './computerName.js';
import { vmHostCmdlets } from './vmHost.js';
import { vmMemoryCmdlets } from './vmMemory.js';
import { vmProcessorCmdlets } from './vmProcessor.js';
import { vmDvdDriveCmdlets } from './vmDvdDrive.js';
import { getVmFirmware } from './vmFirmware.js';
import { setVmFirmware } from './setVmFirmware.js';
import { vmSecurityCmdlets } from './vmSecurity.js';
import { vmBiosCmdlets } from './vmBios.js';
import { vmNetworkAdapterCmdlets } from './vmNetworkAdapter.js';
import { vmNetworkAdapterChangeCmdlets } from './vmNetworkAdapterChanges.js';
import { vmScsiControllerCmdlets } from './vmScsiController.js';
import { vmIdeControllerCmdlets } from './vmIdeController.js';
import { vmSwitchCmdlets } from './vmSwitch.js';
import { winEventCmdlets } from './winEvent.js';
import { vmExportCmdlets } from './vmExport.js';
import { importVmCmdlets } from './importVm.js';
import { vhdCmdlets } from './vhd.js';
import { vhdEditCmdlets } from './vhdEdit.js';
import { vmHardDiskDriveCmdlets } from './vmHardDiskDrive.js';
import { fileContentCmdlets } from './fileContentCmdlets.js';
import { importCsv } from './fileCsvCmdlets.js';
import { locationCmdlets } from './locationCmdlets.js';

/** The Hyper-V module's cmdlets: each takes -ComputerName (this host's names act here). */
const hyperVCmdlets: CmdletDef[] = [
  ...vmCmdlets,
  removeVmSavedState,
  ...checkpointCmdlets,
  ...integrationCmdlets,
  ...diskCmdlets,
  ...vmHostCmdlets,
  ...vmMemoryCmdlets,
  ...vmProcessorCmdlets,
  ...vmNetworkAdapterCmdlets,
  ...vmNetworkAdapterChangeCmdlets,
  ...vmScsiControllerCmdlets,
  ...vmIdeControllerCmdlets,
  ...vmSwitchCmdlets,
  ...vmDvdDriveCmdlets,
  getVmFirmware,
  setVmFirmware,
  ...vmSecurityCmdlets,
  ...vmBiosCmdlets,
  ...vmExportCmdlets,
  ...importVmCmdlets,
  ...vhdCmdlets,
  ...vhdEditCmdlets,
  ...vmHardDiskDriveCmdlets,
  waitVm,
  // Not Hyper-V's: the simulator's guest faults (vmGuestSimulation.ts).
  ...vmGuestSimulationCmdlets,
].map(withComputerName);

export const cmdlets: CmdletDef[] = [
  ...hyperVCmdlets,
  ...winEventCmdlets,
  ...utilityCmdlets,
  ...outputCmdlets,
  ...streamCmdlets,
  ...jobCmdlets,
  startSleep,
  ...jsonCmdlets,
  ...csvCmdlets,
  ...formatCmdlets,
  getDate,
  getHelp,
  getMember,
  groupObject,
  measureObject,
  teeObject,
  outFile,
  exportCsv,
  ...fileContentCmdlets.filter((c) => c !== outFile),
  importCsv,
  ...locationCmdlets,
];
addAsJobParameters(cmdlets);

export function findCmdlet(name: string): CmdletDef | undefined {
  const lower = name.toLowerCase();
  return cmdlets.find(
    (c) =>
      c.name.toLowerCase() === lower || (c.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
}
