/**
 * Splatting (about_Splatting): `Get-VM @params` passes a hashtable's pairs as named parameters
 * (`-Name value`; a `$true`/`$false` value to a switch works as `-Force:$true`) and an array's
 * items as positional arguments. `@args` passes a function's own arguments on.
 */
import type { Extent } from '../language/ast.js';
import type { EvaluatedArg } from './binding.js';
import { PsHashtable } from './hashtable.js';
import { toArray, toPsString } from './values.js';

export function splattedArguments(value: unknown, extent: Extent): EvaluatedArg[] {
  if (value instanceof PsHashtable)
    return value.entries().map(([key, item]) => ({
      kind: 'parameter',
      name: toPsString(key),
      value: item,
      hasValue: true,
      extent,
    }));
  return toArray(value).map((item) => ({ kind: 'value', value: item, extent }));
}
