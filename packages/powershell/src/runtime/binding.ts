/**
 * Parameter binding: named parameters (full names, unambiguous prefixes, aliases), `-Switch:$false`,
 * positional arguments, type conversion with PowerShell's binding errors, and pipeline input by value
 * and by property name.
 */
import type { Extent } from '../language/ast.js';
import type { Bound, CmdletDef, ParamDef } from '../cmdlets/types.js';
import { allParams } from '../cmdlets/types.js';
import {
  PsError,
  argumentValidationError,
  bindingError,
  mandatoryArgumentError,
  parameterNotFound,
} from '../errors.js';
import { PsObject, ScriptBlock, isTruthy, toArray, toPsString } from './values.js';

/** A command-line argument after evaluation. */
export type EvaluatedArg =
  | { kind: 'parameter'; name: string; value: unknown; hasValue: boolean; extent: Extent }
  | { kind: 'value'; value: unknown; extent: Extent };

export function resolveParameter(def: CmdletDef, typed: string, extent: Extent): ParamDef {
  const params = allParams(def);
  const lower = typed.toLowerCase();
  const exact = params.find(
    (p) =>
      p.name.toLowerCase() === lower || (p.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
  if (exact) return exact;
  const matches = params.filter(
    (p) =>
      p.name.toLowerCase().startsWith(lower) ||
      (p.aliases ?? []).some((a) => a.toLowerCase().startsWith(lower)),
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw parameterNotFound(typed, extent);
  throw bindingError(
    `Parameter cannot be processed because the parameter name '${typed}' is ambiguous. Possible matches include: ${matches.map((p) => `-${p.name}`).join(' ')}.`,
    'AmbiguousParameter',
    extent,
  );
}

export function typeLabel(param: ParamDef): string {
  switch (param.type) {
    case 'string':
      return 'System.String';
    case 'string[]':
      return 'System.String[]';
    case 'int':
      return param.netType ?? 'System.Int64';
    case 'bool':
      return 'System.Boolean';
    case 'switch':
      return 'System.Management.Automation.SwitchParameter';
    case 'enum':
      return param.enumType ?? 'System.Enum';
    case 'object':
      return param.objectTypes?.[0] ?? 'System.Object';
    case 'object[]':
      return `${param.objectTypes?.[0] ?? 'System.Object'}[]`;
    case 'scriptblock':
      return 'System.Management.Automation.ScriptBlock';
    case 'any':
      return 'System.Object';
    case 'any[]':
      return 'System.Object[]';
  }
}

function netTypeOf(value: unknown): string {
  if (typeof value === 'string') return 'System.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'System.Int32' : 'System.Double';
  if (typeof value === 'boolean') return 'System.Boolean';
  if (value instanceof PsObject) return value.typeName;
  if (Array.isArray(value)) return 'System.Object[]';
  return 'System.Object';
}

/**
 * [ValidateNotNullOrEmpty] as Windows PowerShell 5.1 checks it: $null or '' is "null or empty"; an
 * empty array or one holding $null is the collection failure; an array holding '' is "null or empty".
 */
function validateNotNullOrEmpty(param: ParamDef, value: unknown, extent?: Extent): void {
  if (value === null || value === undefined || value === '')
    throw argumentValidationError(param.name, 'null-or-empty', extent);
  if (!Array.isArray(value)) return;
  if (value.length === 0 || value.some((v) => v === null || v === undefined))
    throw argumentValidationError(param.name, 'collection', extent);
  if (value.some((v) => v === ''))
    throw argumentValidationError(param.name, 'null-or-empty', extent);
}

/** Converts a value to the parameter's type, or throws PowerShell's binding error. */
export function convertArgument(param: ParamDef, value: unknown, extent?: Extent): unknown {
  if (param.notNullOrEmpty === true) validateNotNullOrEmpty(param, value, extent);
  const fail = (detail: string, id = 'CannotConvertArgumentNoMessage'): never => {
    throw bindingError(`Cannot bind parameter '${param.name}'. ${detail}`, id, extent);
  };
  const scalar: unknown =
    Array.isArray(value) && value.length === 1 ? (value as unknown[])[0] : value;
  switch (param.type) {
    case 'string':
      return scalar === null || scalar === undefined ? null : toPsString(scalar);
    case 'string[]':
      return toArray(value).map(toPsString);
    case 'int': {
      const n: unknown =
        typeof scalar === 'string' && scalar.trim() !== '' ? Number(scalar) : scalar;
      if (typeof n !== 'number' || Number.isNaN(n)) {
        return fail(
          `Cannot convert value "${toPsString(scalar)}" to type "${typeLabel(param)}". Error: "Input string was not in a correct format."`,
        );
      }
      return n;
    }
    case 'bool':
      if (typeof scalar === 'boolean') return scalar;
      if (typeof scalar === 'number') return scalar !== 0;
      throw bindingError(
        `Cannot process argument transformation on parameter '${param.name}'. Cannot convert value "${netTypeOf(scalar)}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
        'ParameterArgumentTransformationError',
        extent,
      );
    case 'switch':
      return isTruthy(scalar);
    case 'enum': {
      const text = toPsString(scalar);
      const match = (param.enumValues ?? []).find(
        (v) => v.toLowerCase() === text.trim().toLowerCase(),
      );
      if (match !== undefined) return match;
      const byNumber = param.enumNumbersByPosition ? param.enumValues?.[Number(text)] : undefined;
      if (byNumber !== undefined && /^\s*\d+\s*$/.test(text)) return byNumber;
      return fail(
        `Cannot convert value "${text}" to type "${typeLabel(param)}". Error: "Unable to match the identifier name ${text} to a valid enumerator name. Specify one of the following enumerator names and try again: ${(param.enumValues ?? []).join(', ')}"`,
      );
    }
    case 'object':
    case 'object[]': {
      const items = toArray(value);
      for (const item of items) {
        if (!(item instanceof PsObject) || !(param.objectTypes ?? []).includes(item.typeName)) {
          fail(
            `Cannot convert the "${toPsString(item)}" value of type "${netTypeOf(item)}" to type "${param.objectTypes?.[0] ?? 'System.Object'}".`,
            'CannotConvertArgument',
          );
        }
      }
      return param.type === 'object' ? items[0] : items;
    }
    case 'scriptblock':
      if (scalar instanceof ScriptBlock) return scalar;
      return fail(
        `Cannot convert the "${toPsString(scalar)}" value of type "${netTypeOf(scalar)}" to type "System.Management.Automation.ScriptBlock".`,
        'CannotConvertArgument',
      );
    case 'any':
      return value;
    case 'any[]':
      return toArray(value);
  }
}

function isMandatorySomewhere(def: CmdletDef, param: ParamDef): boolean {
  return (def.parameterSets ?? []).some((set) => set.mandatory.includes(param.name));
}

/**
 * A mandatory parameter takes no $null, '' or empty array (PowerShell's ValidateNullOrEmptyArgument,
 * run after the validation attributes; the Allow* attributes are not modelled).
 */
function checkMandatoryArgument(param: ParamDef, value: unknown, extent?: Extent): void {
  if (value === null || value === undefined)
    throw mandatoryArgumentError(param.name, 'null', extent);
  if (param.type === 'string' && toPsString(value) === '')
    throw mandatoryArgumentError(param.name, 'empty string', extent);
  if (!param.type.endsWith('[]')) return;
  const items = toArray(value);
  if (items.some((v) => v === null || v === undefined))
    throw mandatoryArgumentError(param.name, 'null', extent);
  if (param.type === 'string[]' && items.some((v) => v === ''))
    throw mandatoryArgumentError(param.name, 'empty string', extent);
  if (items.length === 0) throw mandatoryArgumentError(param.name, 'empty array', extent);
}

/** Converts and validates an argument as it is bound to `param` of `def`. */
export function bindArgument(
  def: CmdletDef,
  param: ParamDef,
  value: unknown,
  extent?: Extent,
): unknown {
  const converted = convertArgument(param, value, extent);
  if (isMandatorySomewhere(def, param)) checkMandatoryArgument(param, value, extent);
  return converted;
}

function accepts(param: ParamDef, value: unknown): boolean {
  if (param.type === 'scriptblock') return value instanceof ScriptBlock;
  if (param.type === 'object' || param.type === 'object[]') {
    return toArray(value).every(
      (v) => v instanceof PsObject && (param.objectTypes ?? []).includes(v.typeName),
    );
  }
  return (
    !(value instanceof ScriptBlock) && !(value instanceof PsObject && !param.type.startsWith('any'))
  );
}

/** Binds the command line. Returns the bound values and their extents (for error markers). */
export function bindCommandLine(def: CmdletDef, args: EvaluatedArg[]): Bound {
  const bound: Bound = {};
  const positional: { value: unknown; extent: Extent }[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg) continue;
    if (arg.kind === 'value') {
      positional.push({ value: arg.value, extent: arg.extent });
      continue;
    }
    const param = resolveParameter(def, arg.name, arg.extent);
    if (param.name in bound) {
      throw bindingError(
        `Cannot bind parameter because parameter '${param.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`,
        'ParameterAlreadyBound',
        arg.extent,
      );
    }
    if (param.type === 'switch') {
      bound[param.name] = arg.hasValue ? isTruthy(arg.value) : true;
      continue;
    }
    if (arg.hasValue) {
      bound[param.name] = bindArgument(def, param, arg.value, arg.extent);
      continue;
    }
    const next = args[i + 1];
    if (next?.kind !== 'value') {
      throw bindingError(
        `Missing an argument for parameter '${param.name}'. Specify a parameter of type '${typeLabel(param)}' and try again.`,
        'MissingArgument',
        arg.extent,
      );
    }
    i++;
    bound[param.name] = bindArgument(def, param, next.value, next.extent);
  }

  const positions = [
    ...new Set(def.params.flatMap((p) => (p.position === undefined ? [] : [p.position]))),
  ].sort((a, b) => a - b);
  let nextPosition = 0;
  for (const arg of positional) {
    let chosen: ParamDef | undefined;
    while (nextPosition < positions.length && !chosen) {
      const group = def.params.filter((p) => p.position === positions[nextPosition]);
      nextPosition++;
      if (group.some((p) => p.name in bound)) continue;
      chosen = group.find((p) => accepts(p, arg.value)) ?? group[0];
    }
    const rest = def.params.find((p) => p.remainingArguments === true);
    if (!chosen && rest && (rest.name in bound || positional.length > 0)) {
      bound[rest.name] = [...toArray(bound[rest.name]), ...toArray(arg.value)];
      continue;
    }
    if (!chosen) {
      throw bindingError(
        `A positional parameter cannot be found that accepts argument '${toPsString(arg.value)}'.`,
        'PositionalParameterNotFound',
        arg.extent,
      );
    }
    bound[chosen.name] = bindArgument(def, chosen, arg.value, arg.extent);
  }
  return bound;
}

export function takesPipelineInput(def: CmdletDef): boolean {
  return def.params.some((p) => p.pipelineByValue === true || p.pipelineByPropertyName === true);
}

/** Binds one pipeline object: by value first, then by property name. Null when nothing matched. */
export function bindPipelineInput(
  def: CmdletDef,
  commandLine: Bound,
  input: unknown,
): Bound | null {
  for (const param of def.params) {
    if (!param.pipelineByValue || param.name in commandLine) continue;
    if (param.type === 'object' || param.type === 'object[]' || param.type === 'scriptblock') {
      if (accepts(param, input))
        return { ...commandLine, [param.name]: convertArgument(param, input) };
      continue;
    }
    if (param.type.startsWith('any') || typeof input === 'string' || typeof input === 'number') {
      try {
        return { ...commandLine, [param.name]: convertArgument(param, input) };
      } catch (error) {
        if (!(error instanceof PsError)) throw error;
      }
    }
  }
  if (!(input instanceof PsObject)) return null;
  const byName: Bound = {};
  for (const param of def.params) {
    if (!param.pipelineByPropertyName || param.name in commandLine) continue;
    const key = [param.name, ...(param.aliases ?? [])].find((n) => input.has(n));
    if (key === undefined) continue;
    const value = input.get(key);
    if (value === null || value === undefined) continue;
    try {
      byName[param.name] = convertArgument(param, value);
    } catch (error) {
      if (!(error instanceof PsError)) throw error;
    }
  }
  return Object.keys(byName).length === 0 ? null : { ...commandLine, ...byName };
}
