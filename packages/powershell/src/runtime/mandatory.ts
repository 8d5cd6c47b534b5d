/**
 * Mandatory parameters, as PowerShell's CmdletParameterBinderController handles them once the command
 * line is bound: a parameter set whose `Required: True` parameters are all given (or will come from
 * the pipeline) runs; otherwise an interactive host is asked for the missing values ("Supply values for
 * the following parameters:") and a non-interactive one fails with MissingMandatoryParameter.
 */
import type { Bound, CmdletDef, ParamDef, ParameterSetDef } from '../cmdlets/types.js';
import { missingMandatoryParameters, promptInterrupted } from '../errors.js';
import { bindArgument } from './binding.js';
import type { HostPrompter } from './hostUi.js';

/** More array elements than anyone types at a prompt; stops a prompter that never answers empty. */
const MAX_PROMPTED_ELEMENTS = 1000;

function membersOf(set: ParameterSetDef): Set<string> {
  return new Set([...set.mandatory, ...(set.members ?? [])]);
}

function paramNamed(def: CmdletDef, name: string): ParamDef | undefined {
  return def.params.find((p) => p.name === name);
}

function takesPipeline(param: ParamDef | undefined): boolean {
  return param?.pipelineByValue === true || param?.pipelineByPropertyName === true;
}

/**
 * The mandatory parameters still missing after the command line, in the set PowerShell would pick
 * (the default set among those the given parameters allow). Empty when some set is complete.
 * Parameters that take pipeline input are not missing when input is coming.
 */
export function missingMandatory(
  def: CmdletDef,
  bound: Bound,
  pipelineInputExpected: boolean,
): ParamDef[] {
  const sets = def.parameterSets ?? [];
  if (sets.length === 0) return [];
  const setSpecific = new Set(sets.flatMap((s) => [...membersOf(s)]));
  const given = Object.keys(bound).filter((name) => setSpecific.has(name));
  const candidates = sets.filter((s) => given.every((name) => membersOf(s).has(name)));
  const open = candidates.length > 0 ? candidates : sets;
  const missingIn = (set: ParameterSetDef): ParamDef[] =>
    set.mandatory
      .filter((name) => !(name in bound))
      .map((name) => paramNamed(def, name))
      .filter((p): p is ParamDef => p !== undefined)
      .filter((p) => !(pipelineInputExpected && takesPipeline(p)));
  if (open.some((s) => missingIn(s).length === 0)) return [];
  const chosen = open[0];
  return chosen ? missingIn(chosen) : [];
}

const isArray = (param: ParamDef): boolean => param.type.endsWith('[]');

/**
 * Asks for the missing parameters as the console host does (ConsoleHostUserInterfacePrompt.cs): the
 * caption "cmdlet <name> at command pipeline position <n>" and "Supply values for the following
 * parameters:" (ParameterBinderStrings PromptCaption / PromptMessage), one field per parameter, and
 * for an array parameter `Name[0]`, `Name[1]`, ... until an empty answer. The answers are bound like
 * `-Name:<value>`, so an empty answer fails the parameter's own validation. Without a prompter, or
 * when the host cannot prompt, the command fails with MissingMandatoryParameter.
 */
export async function supplyMandatory(
  def: CmdletDef,
  bound: Bound,
  missing: ParamDef[],
  pipelinePosition: number,
  prompt: HostPrompter | undefined,
): Promise<Bound> {
  if (missing.length === 0) return bound;
  if (!prompt) throw missingMandatoryParameters(missing.map((p) => p.name));
  const first = await prompt({
    kind: 'text',
    caption: `cmdlet ${def.name} at command pipeline position ${pipelinePosition}`,
    message: 'Supply values for the following parameters:',
    fields: missing.map((p) => (isArray(p) ? `${p.name}[0]` : p.name)),
  });
  if ('cancelled' in first) throw promptInterrupted();
  if (!('text' in first)) throw missingMandatoryParameters(missing.map((p) => p.name));
  const supplied: Bound = { ...bound };
  for (const [index, param] of missing.entries()) {
    const answer = first.text[index] ?? '';
    if (!isArray(param)) {
      supplied[param.name] = bindArgument(def, param, answer);
      continue;
    }
    const values: string[] = [];
    let next = answer;
    while (next !== '' && values.length < MAX_PROMPTED_ELEMENTS) {
      values.push(next);
      const more = await prompt({
        kind: 'text',
        caption: '',
        message: '',
        fields: [`${param.name}[${values.length}]`],
      });
      if ('cancelled' in more) throw promptInterrupted();
      next = 'text' in more ? (more.text[0] ?? '') : '';
    }
    supplied[param.name] = bindArgument(def, param, values);
  }
  return supplied;
}
