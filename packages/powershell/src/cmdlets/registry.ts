/** Every cmdlet, found by name or alias (case-insensitive). */
import { checkpointCmdlets } from './checkpoint.js';
import { diskCmdlets } from './disk.js';
import { integrationCmdlets } from './integration.js';
import { outputCmdlets } from './output.js';
import { streamCmdlets } from './streamCmdlets.js';
import type { CmdletDef } from './types.js';
import { utilityCmdlets } from './utility.js';
import { vmCmdlets } from './vm.js';
import { addAsJobParameters } from '../jobs/asJob.js';
import { jobCmdlets } from './jobs.js';
import { startSleep } from './startSleep.js';
import { waitVm } from './waitVm.js';

export const cmdlets: CmdletDef[] = [
  ...vmCmdlets,
  ...checkpointCmdlets,
  ...integrationCmdlets,
  ...diskCmdlets,
  ...utilityCmdlets,
  ...outputCmdlets,
  ...streamCmdlets,
  ...jobCmdlets,
  startSleep,
  waitVm,
];
addAsJobParameters(cmdlets);

export function findCmdlet(name: string): CmdletDef | undefined {
  const lower = name.toLowerCase();
  return cmdlets.find(
    (c) =>
      c.name.toLowerCase() === lower || (c.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
}
