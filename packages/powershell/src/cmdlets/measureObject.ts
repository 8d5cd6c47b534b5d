/**
 * Measure-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): -Sum,
 * -Average, -Maximum, -Minimum over the input or over each of several -Property names (one
 * GenericMeasureInfo each), and -Line, -Word, -Character over text (TextMeasureInfo). -Sum and
 * -Average need numbers: a value that is not one is `Input object "x" is not numeric.`
 * (MeasureObjectStrings.resx).
 */
import { PsError } from '../errors.js';
import {
  genericMeasureInfoType,
  genericObjectMeasureInfoType,
  textMeasureInfoType,
} from '../format/utilityViews.js';
import { compareKeys } from './sortObject.js';
import { PsObject, getMember, toArray, toPsString } from '../runtime/values.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import { hasProperty } from './propertyValues.js';
import type { Bound, CmdletContext, CmdletDef } from './types.js';

const statistics = ['Sum', 'Average', 'Maximum', 'Minimum'] as const;

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function notNumeric(value: unknown): PsError {
  return new PsError(`Input object "${toPsString(value)}" is not numeric.`, {
    category: 'InvalidType',
    errorId: 'NonNumericInputObject',
    exceptionType: 'PSInvalidOperationException',
    target: toPsString(value),
    targetType: typeof value === 'string' ? 'String' : 'PSObject',
  });
}

function propertyNotFound(name: string): PsError {
  return new PsError(`The property "${name}" cannot be found in the input for any objects.`, {
    category: 'InvalidArgument',
    errorId: 'GenericMeasurePropertyNotFound',
    exceptionType: 'PSArgumentException',
  });
}

/**
 * -Maximum/-Minimum alone also take values that are not numbers, compared as .NET compares them
 * (strings in culture order), and give a GenericObjectMeasureInfo (PowerShell 3.0 and later:
 * PowerShell/PowerShell#13422).
 */
function measureObjects(values: unknown[], params: Bound, property: string | null): PsObject {
  const present = values.filter((v) => v !== null && v !== undefined);
  const pick = (sign: number): unknown =>
    present.reduce((best, v) => (compareKeys(v, best, false) * sign > 0 ? v : best), present[0]);
  return new PsObject(genericObjectMeasureInfoType, {
    Count: values.length,
    Average: null,
    Sum: null,
    Maximum: params.Maximum === true && present.length > 0 ? pick(1) : null,
    Minimum: params.Minimum === true && present.length > 0 ? pick(-1) : null,
    Property: property,
  });
}

function measure(ctx: CmdletContext, params: Bound, values: unknown[], property: string | null) {
  const wanted = statistics.filter((s) => params[s] === true);
  const onlyExtremes = wanted.length > 0 && wanted.every((s) => s === 'Maximum' || s === 'Minimum');
  if (onlyExtremes && values.some((v) => v !== null && v !== undefined && asNumber(v) === null))
    return measureObjects(values, params, property);
  const numbers: number[] = [];
  if (wanted.length > 0)
    for (const v of values) {
      const n = asNumber(v);
      if (n === null) ctx.writeError(notNumeric(v));
      else numbers.push(n);
    }
  const sum = numbers.reduce((a, b) => a + b, 0);
  const stat = (name: (typeof statistics)[number], value: () => number): number | null =>
    params[name] === true && numbers.length > 0 ? value() : null;
  return new PsObject(genericMeasureInfoType, {
    Count: values.length,
    Average: stat('Average', () => sum / numbers.length),
    Sum: stat('Sum', () => sum),
    Maximum: stat('Maximum', () => numbers.reduce((a, b) => Math.max(a, b), -Infinity)),
    Minimum: stat('Minimum', () => numbers.reduce((a, b) => Math.min(a, b), Infinity)),
    Property: property,
  });
}

function measureText(params: Bound, texts: string[], property: string | null): PsObject {
  const count = (flag: string, fn: (t: string) => number): number | null =>
    params[flag] === true ? texts.reduce((n, t) => n + fn(t), 0) : null;
  return new PsObject(textMeasureInfoType, {
    Lines: count('Line', (t) => t.split('\n').filter((l) => l.trim() !== '').length),
    Words: count('Word', (t) => t.split(/\s+/).filter((w) => w !== '').length),
    Characters: count('Character', (t) => t.length),
    Property: property,
  });
}

export const measureObject: CmdletDef = {
  name: 'Measure-Object',
  aliases: ['measure'],
  className: cls('MeasureObjectCommand'),
  params: [
    { name: 'Property', type: 'string[]', position: 0 },
    { name: 'Sum', type: 'switch' },
    { name: 'Average', type: 'switch' },
    { name: 'Maximum', type: 'switch' },
    { name: 'Minimum', type: 'switch' },
    { name: 'Line', type: 'switch' },
    { name: 'Word', type: 'switch' },
    { name: 'Character', type: 'switch' },
    { name: 'IgnoreWhiteSpace', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    const text = params.Line === true || params.Word === true || params.Character === true;
    const properties = params.Property === undefined ? [null] : toArray(params.Property);
    for (const property of properties) {
      items.forEach(() => step(ctx));
      const name = property === null ? null : toPsString(property);
      const having = name === null ? items : items.filter((i) => hasProperty(i, name));
      if (name !== null && having.length === 0) {
        ctx.writeError(propertyNotFound(name));
        continue;
      }
      const values = name === null ? having : having.map((i) => getMember(i, name));
      if (text) {
        let texts = values.map(toPsString);
        if (params.IgnoreWhiteSpace === true) texts = texts.map((t) => t.replace(/\s+/g, ''));
        ctx.write(measureText(params, texts, name));
      } else ctx.write(measure(ctx, params, values, name));
    }
    return Promise.resolve();
  },
};
