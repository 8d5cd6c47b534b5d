/**
 * A cmdlet's SYNTAX lines in PowerShell's notation, generated from its definition (cmdlets/*.ts):
 * one line per parameter set, `[-Name] <String[]>` for a mandatory positional parameter,
 * `[[-Name] <String[]>]` for an optional one, `-Path <String>` / `[-Path <String>]` for named
 * ones, `[-Passthru]` for switches, then `[-WhatIf] [-Confirm]` and `[<CommonParameters>]`
 * (the notation of the reference pages and of `Get-Command -Syntax`). Order: positional
 * parameters by position, then the mandatory named ones, then the rest as declared.
 */
import { typeLabel } from '../runtime/binding.js';
import type { CmdletDef, ParamDef, ParameterSetDef } from './types.js';

/** The short type name the syntax shows: `String[]`, `Int32`, `VirtualMachine[]`, `CheckpointType`. */
export function syntaxType(param: ParamDef): string {
  const array = param.type.endsWith('[]');
  let name: string;
  switch (param.type) {
    case 'any':
      name = param.pipelineByValue === true ? 'PSObject' : 'Object';
      break;
    case 'any[]':
      name = 'Object';
      break;
    case 'object[]':
      name = param.objectTypes?.[0] ?? 'Object';
      break;
    case 'string[]':
      name = 'String';
      break;
    default:
      name = typeLabel(param);
  }
  const short = name.slice(name.lastIndexOf('.') + 1).replace(/\[\]$/, '');
  return array ? `${short}[]` : short;
}

/** The parameters of one set: its own and those named in no set. */
function parametersOf(def: CmdletDef, set: ParameterSetDef | null): ParamDef[] {
  const sets = def.parameterSets ?? [];
  const inAnySet = new Set(sets.flatMap((s) => [...s.mandatory, ...(s.members ?? [])]));
  return def.params.filter(
    (p) =>
      !inAnySet.has(p.name) ||
      (set !== null && (set.mandatory.includes(p.name) || (set.members ?? []).includes(p.name))),
  );
}

function parameterText(param: ParamDef, mandatory: boolean): string {
  const name = param.position === undefined ? `-${param.name}` : `[-${param.name}]`;
  const text = param.type === 'switch' ? name : `${name} <${syntaxType(param)}>`;
  return mandatory ? text : `[${text}]`;
}

/** One SYNTAX line per parameter set. */
export function syntaxLines(def: CmdletDef): string[] {
  const sets: (ParameterSetDef | null)[] =
    def.parameterSets && def.parameterSets.length > 0 ? def.parameterSets : [null];
  return sets.map((set) => {
    const mandatory = new Set(set?.mandatory ?? []);
    const params = parametersOf(def, set);
    const positional = params
      .filter((p) => p.position !== undefined)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    // Parameters sharing a position are alternatives: a set shows the first of them.
    const seenPositions = new Set<number>();
    const shownPositional = positional.filter((p) => {
      if (seenPositions.has(p.position ?? -1)) return false;
      seenPositions.add(p.position ?? -1);
      return true;
    });
    const named = params.filter((p) => p.position === undefined);
    const ordered = [
      ...shownPositional,
      ...named.filter((p) => mandatory.has(p.name)),
      ...named.filter((p) => !mandatory.has(p.name)),
    ];
    const parts = [def.name, ...ordered.map((p) => parameterText(p, mandatory.has(p.name)))];
    if (def.shouldProcess === true) parts.push('[-WhatIf]', '[-Confirm]');
    parts.push('[<CommonParameters>]');
    return parts.join(' ');
  });
}
