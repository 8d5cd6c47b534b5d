import type { ImportMode, VmCompatibilityReport, VmDetail } from '@hvm/engine';
import { request } from '../../api/client';

export interface ImportChoices {
  path: string;
  mode: ImportMode;
  newName?: string;
  vhdDestinationPath?: string;
  virtualMachinePath?: string;
  snapshotFilePath?: string;
}

/** Compare-VM: what keeps the export at `path` from being imported this way (POST /vms/import/compare). */
export function compareImport(choices: Pick<ImportChoices, 'path' | 'mode' | 'newName'>) {
  return request<VmCompatibilityReport>('/vms/import/compare', {
    method: 'POST',
    body: choices,
  });
}

/** Import-VM (POST /vms/import): the VM it created. */
export function importVirtualMachine(choices: ImportChoices) {
  return request<VmDetail>('/vms/import', { method: 'POST', body: choices });
}
