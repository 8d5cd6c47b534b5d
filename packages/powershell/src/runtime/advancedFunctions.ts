/**
 * Advanced functions and functions with named blocks (about_Functions_Advanced,
 * about_Functions_Advanced_Parameters, about_Functions_Advanced_Methods, about_Functions_CmdletBindingAttribute):
 * `[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]`, `[Parameter(Mandatory,
 * Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]`, `[Alias()]`,
 * `[ValidateSet()]`, `[ValidateNotNullOrEmpty()]`, `[ValidateRange()]`, `[ValidatePattern()]`;
 * `begin` once, `process` once per pipeline item (with `$_`, and the pipeline parameters bound
 * from it), `end` once; `$PSBoundParameters`, `$PSCmdlet.ShouldProcess()`, and the common
 * parameters (-ErrorAction, -Verbose, -Debug, -WarningAction, and -WhatIf/-Confirm with
 * SupportsShouldProcess), which set the preference variables of the function's scope.
 *
 * An advanced function refuses unknown parameters and extra positional arguments, as a cmdlet does
 * (ParameterBinderStrings NamedParameterNotFound, PositionalParameterNotFound); a simple function
 * with named blocks still collects them in `$args`. A missing mandatory parameter is asked for, as
 * a cmdlet's is (mandatory.ts), or fails in a run with no one to answer.
 */
import type { AttributeNode, ParameterNode } from '../language/ast.js';
import type { CmdletDef, ShouldProcessText } from '../cmdlets/types.js';
import { PsError, bindingError, parameterNotFound } from '../errors.js';
import type { EvaluatedArg } from './binding.js';
import { evaluate } from './evaluate.js';
import type { EvalContext } from './evaluate.js';
import type { Callable, FunctionRunner } from './functions.js';
import { converted, defaultValue, findParameter, missingArgument } from './functions.js';
import { PsHashtable } from './hashtable.js';
import { NativeObject } from './nativeObject.js';
import { PsRegex } from './regex.js';
import type { RunOptions } from './runOptions.js';
import { supplyMandatory } from './mandatory.js';
import { ConfirmGate } from './shouldProcess.js';
import { ReturnSignal } from './statements.js';
import { PsObject, isTruthy, toArray, toPsString } from './values.js';
import type { Variables } from './variables.js';

/** What the runner gives advanced functions beyond statements: the prompter and the console. */
export interface AdvancedFunctionRunner extends FunctionRunner {
  readonly options: RunOptions;
  readonly text: string[];
}

interface ParameterInfo {
  node: ParameterNode;
  mandatory: boolean;
  position: number | null;
  fromPipeline: boolean;
  fromPipelineByName: boolean;
  aliases: string[];
  attributes: AttributeNode[];
}

const attributeNamed = (attributes: AttributeNode[] | undefined, name: string): AttributeNode[] =>
  (attributes ?? []).filter((a) => a.name.toLowerCase() === name.toLowerCase());

function isAdvanced(callable: Callable): boolean {
  return (
    attributeNamed(callable.attributes, 'CmdletBinding').length > 0 ||
    callable.parameters.some((p) => attributeNamed(p.attributes, 'Parameter').length > 0)
  );
}

/** Functions this file runs: advanced ones, and those with begin/process blocks. */
export function usesFunctionPipeline(callable: Callable): boolean {
  return callable.begin !== undefined || callable.process !== undefined || isAdvanced(callable);
}

/** A named attribute argument: `Mandatory` alone is true, `Position = 0` its value. */
async function namedArgument(
  attributes: AttributeNode[],
  name: string,
  ctx: EvalContext,
): Promise<unknown> {
  for (const attribute of attributes) {
    const arg = attribute.named.find((n) => n.name.toLowerCase() === name.toLowerCase());
    if (arg) return arg.value ? evaluate(arg.value, ctx) : true;
  }
  return undefined;
}

async function parameterInfo(node: ParameterNode, ctx: EvalContext): Promise<ParameterInfo> {
  const parameter = attributeNamed(node.attributes, 'Parameter');
  const position = await namedArgument(parameter, 'Position', ctx);
  const aliases: string[] = [];
  for (const alias of attributeNamed(node.attributes, 'Alias'))
    for (const arg of alias.args)
      aliases.push(...toArray(await evaluate(arg, ctx)).map(toPsString));
  return {
    node,
    mandatory: isTruthy(await namedArgument(parameter, 'Mandatory', ctx)),
    position: position === undefined ? null : Number(position),
    fromPipeline: isTruthy(await namedArgument(parameter, 'ValueFromPipeline', ctx)),
    fromPipelineByName: isTruthy(
      await namedArgument(parameter, 'ValueFromPipelineByPropertyName', ctx),
    ),
    aliases,
    attributes: node.attributes ?? [],
  };
}

/** The validation attributes (Metadata.resx Validate*Failure messages, in ParameterArgumentValidationError). */
async function validate(info: ParameterInfo, value: unknown, ctx: EvalContext): Promise<void> {
  const fail = (detail: string): never => {
    throw new PsError(`Cannot validate argument on parameter '${info.node.name}'. ${detail}`, {
      category: 'InvalidData',
      errorId: 'ParameterArgumentValidationError',
      exceptionType: 'ParameterBindingValidationException',
      reach: 'statement',
    });
  };
  for (const attribute of info.attributes) {
    const args: unknown[] = [];
    for (const arg of attribute.args) args.push(await evaluate(arg, ctx));
    switch (attribute.name.toLowerCase()) {
      case 'validatenotnullorempty':
        if (value === null || value === '' || (Array.isArray(value) && value.length === 0))
          fail(
            'The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.',
          );
        break;
      case 'validateset': {
        const set = args.flatMap((a) => toArray(a)).map(toPsString);
        for (const item of toArray(value))
          if (!set.some((s) => s.toLowerCase() === toPsString(item).toLowerCase()))
            fail(
              `The argument "${toPsString(item)}" does not belong to the set "${set.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
            );
        break;
      }
      case 'validaterange': {
        const [min, max] = args.map(Number);
        for (const item of toArray(value)) {
          const n = Number(item);
          if (min !== undefined && n < min)
            fail(
              `The ${toPsString(item)} argument is less than the minimum allowed range of ${min}. Supply an argument that is greater than or equal to ${min} and then try the command again.`,
            );
          if (max !== undefined && n > max)
            fail(
              `The ${toPsString(item)} argument is greater than the maximum allowed range of ${max}. Supply an argument that is less than or equal to ${max} and then try the command again.`,
            );
        }
        break;
      }
      case 'validatepattern': {
        const pattern = toPsString(args[0]);
        for (const item of toArray(value))
          if (!PsRegex.compile(pattern, false).test(toPsString(item)))
            fail(
              `The argument "${toPsString(item)}" does not match the "${pattern}" pattern. Supply an argument that matches "${pattern}" and try the command again.`,
            );
        break;
      }
      default:
        break;
    }
  }
}

const commonParameters: Record<string, string> = {
  erroraction: 'ErrorAction',
  ea: 'ErrorAction',
  warningaction: 'WarningAction',
  wa: 'WarningAction',
  verbose: 'Verbose',
  vb: 'Verbose',
  debug: 'Debug',
  db: 'Debug',
  whatif: 'WhatIf',
  wi: 'WhatIf',
  confirm: 'Confirm',
  cf: 'Confirm',
};

/** `$PSCmdlet` (about_Automatic_Variables): ShouldProcess asks as a cmdlet's does. */
class PsCmdlet extends NativeObject {
  readonly typeName = 'System.Management.Automation.PSScriptCmdlet';
  constructor(
    private readonly gate: ConfirmGate,
    private readonly functionName: string,
  ) {
    super();
  }

  async callMethod(name: string, args: unknown[]): Promise<{ value: unknown } | undefined> {
    if (name.toLowerCase() !== 'shouldprocess') return undefined;
    const [target, action, caption] = args.map(toPsString);
    // CommandBaseStrings.ShouldProcessMessage: Performing the operation "{0}" on target "{1}".
    const text: ShouldProcessText =
      caption !== undefined
        ? { description: target ?? '', warning: action ?? '' }
        : {
            description: `Performing the operation "${action ?? this.functionName}" on target "${target ?? ''}".`,
          };
    return { value: await this.gate.shouldProcess(target ?? '', text) };
  }
}

/** Runs an advanced function, or one with named blocks, on its arguments and pipeline input. */
export async function invokeFunction(
  runner: FunctionRunner,
  callable: Callable,
  args: EvaluatedArg[],
  input: unknown[],
  caller: Variables,
  expectsInput: boolean,
  /** Where the blocks write their output as it is produced (invokeCallable). */
  out: unknown[],
): Promise<unknown[]> {
  const scope = caller.child();
  const ctx: EvalContext = {
    variables: scope,
    runStatements: (statements, variables) => runner.runStatements(statements, variables),
  };
  const advanced = isAdvanced(callable);
  const binding = attributeNamed(callable.attributes, 'CmdletBinding');
  const supportsShouldProcess = isTruthy(
    await namedArgument(binding, 'SupportsShouldProcess', ctx),
  );
  const infos: ParameterInfo[] = [];
  for (const parameter of callable.parameters) infos.push(await parameterInfo(parameter, ctx));
  const infoByNode = new Map(infos.map((info) => [info.node, info]));

  const bound = new Map<ParameterInfo, unknown>();
  const common: Record<string, unknown> = {};
  const positional: EvaluatedArg[] = [];
  const extra: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg) continue;
    if (arg.kind === 'value') {
      positional.push(arg);
      continue;
    }
    const node =
      findParameter(callable.parameters, arg.name) ??
      infos.find((p) => p.aliases.some((a) => a.toLowerCase() === arg.name.toLowerCase()))?.node;
    if (!node) {
      const commonName = advanced ? commonParameters[arg.name.toLowerCase()] : undefined;
      const allowed =
        commonName !== undefined &&
        (supportsShouldProcess || (commonName !== 'WhatIf' && commonName !== 'Confirm'));
      if (allowed) {
        const switchLike = ['Verbose', 'Debug', 'WhatIf', 'Confirm'].includes(commonName);
        const next = args[i + 1];
        if (arg.hasValue || switchLike) common[commonName] = arg.hasValue ? arg.value : true;
        else if (next?.kind === 'value') {
          common[commonName] = next.value;
          i++;
        }
        continue;
      }
      if (advanced) throw parameterNotFound(arg.name, arg.extent);
      extra.push(`-${arg.name}${arg.hasValue ? ':' : ''}`);
      if (arg.hasValue) extra.push(arg.value);
      continue;
    }
    const info = infoByNode.get(node);
    if (!info) continue;
    if (arg.hasValue || node.type === 'switch') {
      bound.set(info, converted(node, arg.hasValue ? arg.value : null));
      continue;
    }
    const next = args[i + 1];
    if (next?.kind !== 'value') throw missingArgument(node);
    bound.set(info, converted(node, next.value));
    i++;
  }
  // Positional arguments: the parameters with a Position in its order, or (with none given) every
  // parameter in the order declared, switches excepted (about_Functions_Advanced_Parameters).
  const explicit = infos.some((i) => i.position !== null);
  const slots = infos
    .filter((i) => (explicit ? i.position !== null : i.node.type !== 'switch'))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  for (const arg of positional) {
    if (arg.kind !== 'value') continue;
    const slot = slots.find((s) => !bound.has(s));
    if (!slot) {
      if (!advanced) {
        extra.push(arg.value);
        continue;
      }
      // ParameterBinderStrings.PositionalParameterNotFound
      throw bindingError(
        `A positional parameter cannot be found that accepts argument '${toPsString(arg.value)}'.`,
        'PositionalParameterNotFound',
      );
    }
    bound.set(slot, converted(slot.node, arg.value));
  }
  const takesPipeline = (i: ParameterInfo): boolean => i.fromPipeline || i.fromPipelineByName;
  const missing = infos.filter(
    (i) => i.mandatory && !bound.has(i) && !(expectsInput && takesPipeline(i)),
  );
  const withRunner = runner as Partial<AdvancedFunctionRunner>;
  if (missing.length > 0) {
    // As a cmdlet's: the console asks for the values ("Supply values for the following
    // parameters:"); a run with no one to answer fails with MissingMandatoryParameter.
    const def: CmdletDef = {
      name: callable.name,
      className: callable.name,
      params: missing.map((i) => ({
        name: i.node.name,
        type: i.node.type?.endsWith('[]') === true ? 'string[]' : 'string',
      })),
    };
    const supplied = await supplyMandatory(def, {}, def.params, 1, withRunner.options?.prompt);
    for (const info of missing) bound.set(info, converted(info.node, supplied[info.node.name]));
  }
  for (const [info, value] of bound) await validate(info, value, ctx);

  // The common parameters set the preference variables of the function's scope.
  if (common.ErrorAction !== undefined)
    scope.set('ErrorActionPreference', toPsString(common.ErrorAction));
  if (common.WarningAction !== undefined)
    scope.set('WarningPreference', toPsString(common.WarningAction));
  if (common.Verbose !== undefined)
    scope.set('VerbosePreference', isTruthy(common.Verbose) ? 'Continue' : 'SilentlyContinue');
  if (common.Debug !== undefined)
    scope.set('DebugPreference', isTruthy(common.Debug) ? 'Continue' : 'SilentlyContinue');
  if (common.WhatIf !== undefined) scope.set('WhatIfPreference', isTruthy(common.WhatIf));
  if (common.Confirm !== undefined)
    scope.set('ConfirmPreference', isTruthy(common.Confirm) ? 'Low' : 'None');

  const boundParameters = new PsHashtable();
  for (const info of infos) {
    if (bound.has(info)) boundParameters.set(info.node.name, bound.get(info));
    scope.set(
      info.node.name,
      bound.has(info) ? bound.get(info) : await defaultValue(info.node, ctx),
    );
  }
  for (const [name, value] of Object.entries(common)) boundParameters.set(name, value);
  scope.set('PSBoundParameters', boundParameters);
  scope.set('args', extra);
  if (advanced) {
    const name = callable.name;
    const def: CmdletDef = {
      name,
      className: name,
      params: [],
      shouldProcess: supportsShouldProcess,
      confirmImpact:
        (toPsString(await namedArgument(binding, 'ConfirmImpact', ctx)) as
          'High' | 'Medium' | 'Low') || 'Medium',
    };
    const gate = new ConfirmGate({
      def,
      bound: {},
      confirmPreference: scope.get('ConfirmPreference'),
      whatIfPreference: scope.get('WhatIfPreference'),
      prompt: withRunner.options?.prompt,
      write: (text) => withRunner.text?.push(text),
    });
    scope.set('PSCmdlet', new PsCmdlet(gate, name));
  }

  const run = async (block: Callable['body'] | undefined): Promise<void> => {
    if (!block) return;
    try {
      await runner.runInto(block, scope, out);
    } catch (signal) {
      // `return` ends the block it is in (begin, process for this item, or end).
      if (!(signal instanceof ReturnSignal)) throw signal;
    }
  };
  await run(callable.begin);
  if (callable.process) {
    const items = expectsInput ? input : [undefined];
    for (const item of items) {
      scope.budget.step();
      if (item !== undefined) bindPipelineItem(infos, item, scope, boundParameters);
      scope.set('_', item ?? null);
      scope.set('PSItem', item ?? null);
      scope.set('input', item === undefined ? [] : [item]);
      await run(callable.process);
    }
    scope.set('input', []);
  } else {
    // With no process block, the end block gets the whole input in $input.
    scope.set('input', input);
    const last = input[input.length - 1];
    if (last !== undefined) bindPipelineItem(infos, last, scope, boundParameters);
  }
  await run(callable.body);
  return out;
}

/** Binds the pipeline parameters from one input item: by value, or by property name. */
function bindPipelineItem(
  infos: ParameterInfo[],
  item: unknown,
  scope: Variables,
  boundParameters: PsHashtable,
): void {
  for (const info of infos) {
    let value: unknown;
    if (info.fromPipeline) value = item;
    else if (info.fromPipelineByName && item instanceof PsObject) {
      const name = [info.node.name, ...info.aliases].find((n) => item.has(n));
      if (name === undefined) continue;
      value = item.get(name);
    } else continue;
    const v = converted(info.node, value);
    scope.set(info.node.name, v);
    boundParameters.set(info.node.name, v);
  }
}
