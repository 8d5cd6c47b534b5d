/** The values of -Property entries on one object: names with wildcards, script blocks, calculated properties. */
import { hasWildcard, wildcardToRegExp } from '../runtime/evaluate.js';
import { PsObject, ScriptBlock, getMember, unwrap } from '../runtime/values.js';
import type { CalculatedProperty } from './calculatedProperty.js';
import type { CmdletContext } from './types.js';

export type PropertyArgument = string | ScriptBlock | CalculatedProperty;

/** One resolved column or property: the name it shows under and how its value is read. */
export interface ResolvedProperty {
  name: string;
  expression: string | ScriptBlock;
  source: PropertyArgument;
}

/** The names an object offers for wildcard matching (a PsObject's properties; none for scalars). */
function namesOf(object: unknown): string[] {
  return object instanceof PsObject ? object.propertyNames : [];
}

/**
 * Expands wildcards against the object's properties (`Select-Object Name, *Memory*`); a plain name
 * keeps the object's spelling when it has the property, the caller's otherwise.
 */
export function resolveProperties(object: unknown, args: PropertyArgument[]): ResolvedProperty[] {
  const out: ResolvedProperty[] = [];
  for (const source of args) {
    if (source instanceof ScriptBlock) {
      out.push({ name: source.text.trim(), expression: source, source });
    } else if (typeof source === 'string') {
      if (hasWildcard(source)) {
        const matcher = wildcardToRegExp(source);
        for (const name of namesOf(object))
          if (matcher.test(name)) out.push({ name, expression: name, source });
      } else {
        const name = object instanceof PsObject ? (object.key(source) ?? source) : source;
        out.push({ name, expression: name, source });
      }
    } else out.push({ name: source.name, expression: source.expression, source });
  }
  return out;
}

/** The value of one resolved property on `object`: a member read, or the block run with `$_`. */
export async function valueOf(
  ctx: Pick<CmdletContext, 'runScriptBlock'>,
  object: unknown,
  expression: string | ScriptBlock,
): Promise<unknown> {
  if (expression instanceof ScriptBlock)
    return unwrap(await ctx.runScriptBlock(expression, object));
  return getMember(object, expression);
}

/** Whether the object has the property (for Select-Object -ExpandProperty's error). */
export function hasProperty(object: unknown, name: string): boolean {
  if (object instanceof PsObject) return object.has(name);
  const lower = name.toLowerCase();
  if (typeof object === 'string') return lower === 'length';
  return getMember(object, name) !== null;
}

export const displayName = (p: PropertyArgument): string =>
  p instanceof ScriptBlock ? p.text.trim() : typeof p === 'string' ? p : p.name;
