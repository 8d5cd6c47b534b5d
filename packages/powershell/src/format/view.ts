/** Out-Default: the default views of the Hyper-V types, and the table/list choice for other objects. */
import { PsObject, TimeSpan, customObjectType, toPsString } from '../runtime/values.js';
import { groupHeaders, hyperVTableViews } from './hyperVViews.js';
import { dictionaryTable, isDictionaryOutput } from './hashtableView.js';
import { longDateTime } from './dateFormat.js';
import { renderList } from './list.js';
import type { Column } from './table.js';
import { renderTable } from './table.js';
import type { ViewColumn as UtilityViewColumn } from './utilityViews.js';
import { memberDefinitionType, utilityListViews, utilityTableViews } from './utilityViews.js';
import { fileSystemGroupHeaders, fileSystemTableViews } from './fileSystemViews.js';

/** Text already formatted by Format-Table / Format-List; Out-Default prints it as it is. */
export class FormattedText {
  constructor(
    readonly text: string,
    /** For Format-Table/-List output: how many objects (format entries) the text shows. */
    readonly entries?: number,
  ) {}

  /**
   * As a string (`"$(Get-VM | Format-Table)"`), Format-* output is the type names of the format
   * objects PowerShell's Format-* cmdlets write: FormatStartData, GroupStartData, one
   * FormatEntryData per object, GroupEndData, FormatEndData (their full names in
   * Microsoft.PowerShell.Commands.Internal.Format, as `(... | Format-Table)[0].GetType().FullName`
   * shows; renenyffenegger.ch notes on that namespace). Several -GroupBy groups each give the
   * whole sequence here, where PowerShell writes one FormatStartData/FormatEndData for all.
   */
  toString(): string {
    if (this.entries === undefined) return this.text;
    const names = [
      'FormatStartData',
      'GroupStartData',
      ...Array.from({ length: this.entries }, () => 'FormatEntryData'),
      'GroupEndData',
      'FormatEndData',
    ];
    return names.map((name) => `Microsoft.PowerShell.Commands.Internal.Format.${name}`).join(' ');
  }
}

interface ViewColumn extends UtilityViewColumn {
  value?: (o: PsObject) => unknown;
  align?: 'left' | 'right';
}

const MB = 1024 * 1024;

const builtInTableViews: Record<string, ViewColumn[]> = {
  'Microsoft.HyperV.PowerShell.VirtualMachine': [
    { label: 'Name', property: 'Name' },
    { label: 'State', property: 'State' },
    { label: 'CPUUsage(%)', property: 'CPUUsage' },
    {
      label: 'MemoryAssigned(M)',
      property: 'MemoryAssigned',
      value: (o) => Math.floor(Number(o.get('MemoryAssigned') ?? 0) / MB),
    },
    { label: 'Uptime', property: 'Uptime' },
    { label: 'Status', property: 'Status' },
    { label: 'Version', property: 'Version' },
  ],
  'Microsoft.HyperV.PowerShell.VMSnapshot': [
    { label: 'VMName', property: 'VMName' },
    { label: 'Name', property: 'Name' },
    { label: 'SnapshotType', property: 'SnapshotType' },
    { label: 'CreationTime', property: 'CreationTime' },
    { label: 'ParentSnapshotName', property: 'ParentSnapshotName' },
  ],
  'Microsoft.HyperV.PowerShell.VMIntegrationComponent': [
    { label: 'VMName', property: 'VMName' },
    { label: 'Name', property: 'Name' },
    { label: 'Enabled', property: 'Enabled' },
    { label: 'PrimaryStatusDescription', property: 'PrimaryStatusDescription' },
    { label: 'SecondaryStatusDescription', property: 'SecondaryStatusDescription' },
  ],
  // PowerShell's job table (DefaultFormatters, System.Management.Automation.Job).
  'System.Management.Automation.Job': [
    { label: 'Id', property: 'Id' },
    { label: 'Name', property: 'Name' },
    { label: 'PSJobTypeName', property: 'PSJobTypeName' },
    { label: 'State', property: 'State' },
    { label: 'HasMoreData', property: 'HasMoreData' },
    { label: 'Location', property: 'Location' },
    { label: 'Command', property: 'Command' },
  ],
  'Microsoft.HyperV.PowerShell.HardDiskDrive': [
    { label: 'VMName', property: 'VMName' },
    { label: 'ControllerType', property: 'ControllerType' },
    { label: 'ControllerNumber', property: 'ControllerNumber' },
    { label: 'ControllerLocation', property: 'ControllerLocation' },
    { label: 'DiskNumber', property: 'DiskNumber' },
    { label: 'Path', property: 'Path' },
  ],
  ...hyperVTableViews,
};

const tableViews: Record<string, ViewColumn[]> = {
  ...builtInTableViews,
  ...utilityTableViews,
  ...fileSystemTableViews,
};

/** A cell: arrays as `{a, b}`, everything else as PowerShell prints it. */
export function cellText(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map(toPsString).join(', ')}}`;
  const text = toPsString(value);
  // Most cells have no line break: they are kept as they are, without a new string.
  return text.includes('\n') ? text.replace(/\r?\n/g, ' ') : text;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number';
}

export function tableOf(
  objects: PsObject[],
  properties: string[] | null,
  width: number,
  wrap = false,
): string {
  const first = objects[0];
  if (!first) return '';
  const view = properties === null ? tableViews[first.typeName] : undefined;
  const columns: ViewColumn[] =
    view ??
    (properties ?? first.propertyNames).map((p) => ({ label: first.key(p) ?? p, property: p }));
  // A view's columns are aligned as it says: its cells' texts are made at once, without the values
  // of every row kept beside them (a table of 100,000 checkpoints is made in one go).
  const values =
    view === undefined
      ? objects.map((o) => columns.map((c) => (c.value ? c.value(o) : o.get(c.property))))
      : null;
  const layout: Column[] = columns.map((c, i) => ({
    label: c.label,
    align: c.align ?? (values?.some((row) => isNumeric(row[i])) ? 'right' : 'left'),
    ...(c.width === undefined ? {} : { width: c.width }),
  }));
  const rows =
    values === null
      ? objects.map((o) => columns.map((c) => cellText(c.value ? c.value(o) : o.get(c.property))))
      : values.map((row) => row.map(cellText));
  return renderTable(layout, rows, width, wrap);
}

export function listOf(objects: PsObject[], properties: string[] | null): string {
  return renderList(
    objects.map((o) =>
      (properties ?? o.propertyNames).map((p): [string, string] => [
        o.key(p) ?? p,
        cellText(o.get(p)),
      ]),
    ),
  );
}

function groupKey(value: unknown): string {
  if (isDictionaryOutput(value)) return 'dictionary';
  if (value instanceof PsObject) {
    return value.typeName === customObjectType
      ? `${value.typeName}:${value.propertyNames.join(',')}`
      : value.typeName;
  }
  if (value instanceof FormattedText) return 'formatted';
  return 'scalar';
}

/** The console text for a statement's output. */
export function formatDefault(values: unknown[], width: number): string {
  let out = '';
  let i = 0;
  while (i < values.length) {
    const key = groupKey(values[i]);
    let j = i;
    while (j < values.length && groupKey(values[j]) === key) j++;
    const group = values.slice(i, j);
    i = j;
    if (key === 'dictionary') {
      out += dictionaryTable(group, width);
    } else if (key === 'formatted') {
      out += group.map((g) => (g as FormattedText).text).join('');
    } else if (key === 'scalar') {
      out += group.map(scalarText).join('');
    } else {
      const objects = group as PsObject[];
      const first = objects[0];
      if (!first) continue;
      const listView = utilityListViews[first.typeName];
      if (first.typeName === memberDefinitionType) {
        out += memberTables(objects, width);
        continue;
      }
      const useTable =
        !listView && (first.typeName in tableViews || first.propertyNames.length <= 4);
      const header =
        (groupHeaders[first.typeName] ?? fileSystemGroupHeaders[first.typeName])?.(first) ?? '';
      out +=
        header + (useTable ? tableOf(objects, null, width) : listOf(objects, listView ?? null));
    }
  }
  return out;
}

/** Get-Member's view: a table per TypeName, under a `   TypeName: <type>` line. */
function memberTables(members: PsObject[], width: number): string {
  let out = '';
  let i = 0;
  while (i < members.length) {
    const typeName = toPsString(members[i]?.get('TypeName'));
    let j = i;
    while (j < members.length && toPsString(members[j]?.get('TypeName')) === typeName) j++;
    out += `\n   TypeName: ${typeName}\n${tableOf(members.slice(i, j), null, width)}`;
    i = j;
  }
  return out;
}

/** A value that is not an object: a TimeSpan as its list, a DateTime in its long form, else its text. */
function scalarText(value: unknown): string {
  if (value instanceof TimeSpan) return `${timeSpanList(value)}\n`;
  // Out-Default shows a DateTime as the en-US long date and long time, between blank lines as a
  // table is ("Sunday, December 6, 2026 3:54:53 PM", Get-Date reference examples).
  if (value instanceof Date) return `\n${longDateTime(value)}\n\n`;
  return `${toPsString(value)}\n`;
}

function timeSpanList(t: TimeSpan): string {
  const fields = t.toJSON();
  return renderList([Object.entries(fields).map(([k, v]): [string, string] => [k, toPsString(v)])]);
}
