/** Evaluating `@{ key = value }` and indexing a hashtable (about_Hash_Tables). */
import type { HashLiteralNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import type { EvalContext } from './evaluate.js';
import { evaluate } from './evaluate.js';
import { PsHashtable } from './hashtable.js';
import { toPsString, unwrap } from './values.js';

export async function evaluateHashLiteral(
  node: HashLiteralNode,
  ctx: EvalContext,
): Promise<PsHashtable> {
  const table = new PsHashtable();
  for (const entry of node.entries) {
    const key = await evaluate(entry.key, ctx);
    if (key === null || key === undefined)
      // ParserStrings.InvalidNullKey
      throw new PsError('A null key is not allowed in a hash literal.', {
        category: 'InvalidOperation',
        errorId: 'InvalidNullKey',
        exceptionType: 'RuntimeException',
        reach: 'statement',
        extent: entry.key,
      });
    if (table.has(key))
      // ParserStrings.DuplicateKeyInHashLiteral: the parser's check, for keys known only when the
      // literal runs (`@{$a = 1; $b = 2}` with $a equal to $b).
      throw new PsError(`Duplicate keys '${toPsString(key)}' are not allowed in hash literals.`, {
        category: 'InvalidOperation',
        errorId: 'DuplicateKeyInHashLiteral',
        exceptionType: 'RuntimeException',
        reach: 'statement',
        extent: entry.key,
      });
    const statement = entry.value;
    const only = statement.kind === 'pipeline' ? statement.elements : [];
    let value: unknown;
    if (only.length === 1 && only[0]?.kind === 'expression-element')
      // `@{ a = @() }` and `@{ a = 1, 2 }` keep the array as it is, as an assignment does.
      value = await evaluate(only[0].expression, ctx);
    else value = unwrap(await ctx.runStatements([statement], ctx.variables));
    table.set(key, value);
    ctx.variables.budget.checkCollection(table.count);
  }
  return table;
}

/** `$h['a']`, `$h['a', 'b']` (the values of several keys). */
export function indexHashtable(table: PsHashtable, index: unknown): unknown {
  if (Array.isArray(index)) return index.map((key) => table.get(key) ?? null);
  return table.get(index) ?? null;
}
