/**
 * Format-Table and Format-List (Microsoft.PowerShell.Utility reference pages, Windows PowerShell
 * 5.1): -Property with wildcards (`Format-List *`), script blocks and calculated properties
 * (Name/Label, Expression, and for tables Width, Alignment, FormatString), -GroupBy (a
 * `   <Property>: <value>` line before each group of consecutive objects, as Get-Member's
 * TypeName line), -Wrap (long cells go on over more lines), -HideTableHeaders, -AutoSize (our
 * tables are always sized to their content). Without -Property an object gets its default view (format/view.ts).
 */
import { formatDate } from '../format/dateFormat.js';
import { renderList } from '../format/list.js';
import type { Column } from '../format/table.js';
import { renderTable } from '../format/table.js';
import { FormattedText, cellText, listOf, tableOf } from '../format/view.js';
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import type { CalculatedProperty } from './calculatedProperty.js';
import { propertyArguments } from './calculatedProperty.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import type { PropertyArgument, ResolvedProperty } from './propertyValues.js';
import { resolveProperties, valueOf } from './propertyValues.js';
import type { CmdletContext, CmdletDef } from './types.js';

/**
 * A value through a FormatString: .NET's numeric N, F, D and P formats and date formats; other
 * values as they print.
 */
export function applyFormatString(value: unknown, format: string): string {
  const spec = /^([NnFfDdPp])(\d*)$/.exec(format);
  if (typeof value === 'number' && spec) {
    const kind = (spec[1] ?? 'N').toUpperCase();
    const digits = spec[2] === '' || spec[2] === undefined ? null : Number(spec[2]);
    if (kind === 'D') return String(Math.trunc(value)).padStart(digits ?? 0, '0');
    const decimals = digits ?? 2;
    const scaled = kind === 'P' ? value * 100 : value;
    const text = scaled.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: kind !== 'F',
    });
    return kind === 'P' ? `${text} %` : text;
  }
  if (value instanceof Date) return formatDate(value, format);
  return toPsString(value);
}

interface FormatColumn extends ResolvedProperty {
  calculated: CalculatedProperty | null;
}

function columnsOf(first: unknown, args: PropertyArgument[]): FormatColumn[] {
  return resolveProperties(first, args).map((p) => ({
    ...p,
    calculated: typeof p.source === 'object' && 'expression' in p.source ? p.source : null,
  }));
}

async function cellsOf(
  ctx: CmdletContext,
  object: unknown,
  columns: FormatColumn[],
): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const c of columns) {
    const value = await valueOf(ctx, object, c.expression);
    const format = c.calculated?.formatString;
    values.push(format === undefined ? value : applyFormatString(value, format));
  }
  return values;
}

async function renderGroup(
  ctx: CmdletContext,
  kind: 'table' | 'list',
  objects: PsObject[],
  args: PropertyArgument[] | null,
  wrap: boolean,
): Promise<string> {
  const first = objects[0];
  if (!first) return '';
  if (args === null)
    return kind === 'table' ? tableOf(objects, null, ctx.width, wrap) : listOf(objects, null);
  if (kind === 'list') {
    const blocks: [string, string][][] = [];
    for (const o of objects) {
      const columns = columnsOf(o, args);
      const values = await cellsOf(ctx, o, columns);
      blocks.push(columns.map((c, i): [string, string] => [c.name, cellText(values[i])]));
    }
    return renderList(blocks);
  }
  const columns = columnsOf(first, args);
  const rows: unknown[][] = [];
  for (const o of objects) rows.push(await cellsOf(ctx, o, columns));
  const layout: Column[] = columns.map((c, i) => {
    const align = c.calculated?.alignment;
    const numeric = rows.some((r) => typeof r[i] === 'number');
    const column: Column = {
      label: c.name,
      align: align === 'right' || (align === undefined && numeric) ? 'right' : 'left',
    };
    if (c.calculated?.width !== undefined) column.width = c.calculated.width;
    return column;
  });
  return renderTable(
    layout,
    rows.map((r) => r.map(cellText)),
    ctx.width,
    wrap,
  );
}

function formatCmdlet(name: string, alias: string, kind: 'table' | 'list'): CmdletDef {
  return {
    name,
    aliases: [alias],
    className: cls(`${name.replace('-', '')}Command`),
    params: [
      { name: 'Property', type: 'any[]', position: 0 },
      { name: 'GroupBy', type: 'any' },
      ...(kind === 'table'
        ? [
            { name: 'AutoSize', type: 'switch' as const },
            { name: 'Wrap', type: 'switch' as const },
            { name: 'HideTableHeaders', type: 'switch' as const },
          ]
        : []),
      { name: 'InputObject', type: 'any', pipelineByValue: true },
    ],
    async end(ctx, params, input) {
      const items = inputOf(params, input);
      const args =
        params.Property === undefined
          ? null
          : propertyArguments(
              toArray(params.Property),
              kind === 'table' ? 'format-table' : 'format-list',
            );
      const groupBy =
        params.GroupBy === undefined
          ? null
          : (propertyArguments([params.GroupBy], 'format-list')[0] ?? null);
      let i = 0;
      while (i < items.length) {
        step(ctx);
        const first = items[i];
        if (!(first instanceof PsObject)) {
          ctx.write(new FormattedText(`${toPsString(first)}\n`, 1));
          i++;
          continue;
        }
        const groupOf = async (o: unknown): Promise<string | null> => {
          if (groupBy === null) return null;
          const [resolved] = resolveProperties(o, [groupBy]);
          return resolved ? toPsString(await valueOf(ctx, o, resolved.expression)) : '';
        };
        const group = await groupOf(first);
        let j = i + 1;
        while (
          j < items.length &&
          items[j] instanceof PsObject &&
          (items[j] as PsObject).typeName === first.typeName &&
          (await groupOf(items[j])) === group
        )
          j++;
        const objects = items.slice(i, j) as PsObject[];
        const label = groupBy === null ? '' : (resolveProperties(first, [groupBy])[0]?.name ?? '');
        const header = group === null ? '' : `\n   ${label}: ${group}\n`;
        let text = await renderGroup(ctx, kind, objects, args, params.Wrap === true);
        // -HideTableHeaders: the rows without the header and dashes lines.
        if (params.HideTableHeaders === true) {
          const tableLines = text.split('\n');
          tableLines.splice(1, 2);
          text = tableLines.join('\n');
        }
        ctx.write(new FormattedText(header + text, objects.length));
        i = j;
      }
    },
  };
}

export const formatCmdlets: CmdletDef[] = [
  formatCmdlet('Format-Table', 'ft', 'table'),
  formatCmdlet('Format-List', 'fl', 'list'),
];
