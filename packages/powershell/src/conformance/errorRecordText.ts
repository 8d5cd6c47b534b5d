/** The console text of a non-terminating error record of a one-line script (GetErrorText.resx layout). */
import { lines } from './harness.js';

export const errorRecord = (
  command: string,
  message: string,
  script: string,
  at: number,
  width: number,
  category: string,
  id: string,
): string =>
  lines(
    `${command} : ${message}`,
    `At line:1 char:${at}`,
    `+ ${script}`,
    `+ ${' '.repeat(at - 1)}${'~'.repeat(width)}`,
    `    + CategoryInfo          : ${category}`,
    `    + FullyQualifiedErrorId : ${id}`,
  );
