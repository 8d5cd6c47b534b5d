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
import type { CmdletDef } from './types.js';
import { utilityCmdlets } from './utility.js';
import { vmCmdlets } from './vm.js';

export const cmdlets: CmdletDef[] = [
  ...vmCmdlets,
  ...checkpointCmdlets,
  ...integrationCmdlets,
  ...diskCmdlets,
  ...utilityCmdlets,
  ...outputCmdlets,
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
];

export function findCmdlet(name: string): CmdletDef | undefined {
  const lower = name.toLowerCase();
  return cmdlets.find(
    (c) =>
      c.name.toLowerCase() === lower || (c.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
}
