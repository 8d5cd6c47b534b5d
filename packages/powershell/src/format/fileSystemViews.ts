/**
 * Get-ChildItem's default view (Windows PowerShell 5.1's FileSystem.format.ps1xml, table view
 * "children"): grouped by folder under `    Directory: <path>`, columns Mode (7, left),
 * LastWriteTime (25, right, the date `{0,10}` and the time `{1,8}` two spaces apart), Length
 * (14, right) and Name, as 5.1 transcripts show:
 *
 *     Mode                LastWriteTime         Length Name
 *     ----                -------------         ------ ----
 *     -a----        5/14/2019   1:36 PM             20 test.txt
 */
import type { PsObject } from '../runtime/values.js';
import { toPsString } from '../runtime/values.js';
import { formatDate } from './dateFormat.js';

export const fileInfoType = 'System.IO.FileInfo';
export const directoryInfoType = 'System.IO.DirectoryInfo';

function lastWriteTime(o: PsObject): string {
  const value = o.get('LastWriteTime');
  if (!(value instanceof Date)) return '';
  return `${formatDate(value, 'd').padStart(10)}  ${formatDate(value, 't').padStart(8)}`;
}

const childrenView = [
  { label: 'Mode', property: 'Mode', width: 7, align: 'left' as const },
  {
    label: 'LastWriteTime',
    property: 'LastWriteTime',
    width: 25,
    align: 'right' as const,
    value: lastWriteTime,
  },
  { label: 'Length', property: 'Length', width: 14, align: 'right' as const },
  { label: 'Name', property: 'Name', align: 'left' as const },
];

export const fileSystemTableViews = {
  [fileInfoType]: childrenView,
  [directoryInfoType]: childrenView,
};

/** `    Directory: <folder>` and two blank lines before each folder's table. */
const directoryHeader = (o: PsObject): string =>
  `\n    Directory: ${toPsString(o.get('PSParentPath'))}\n\n`;

export const fileSystemGroupHeaders: Record<string, (o: PsObject) => string> = {
  [fileInfoType]: directoryHeader,
  [directoryInfoType]: directoryHeader,
};
