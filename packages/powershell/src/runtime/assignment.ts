/**
 * Assignment statements (about_Assignment_Operators): `$x = ...`, `$x += ...`, `$i++`, `$x--`;
 * `$null = ...` runs the value and discards it; a member or element target (`$h.Name = 1`,
 * `$a[0] += 2`) is assigned by memberAssignment.ts.
 */
import type { AssignmentNode, Statement } from '../language/ast.js';
import { assignmentArithmetic } from '../language/ast.js';
import { arithmetic, cast } from './arithmetic.js';
import type { EvalContext } from './evaluate.js';
import { evaluate } from './evaluate.js';
import { assignToTarget } from './memberAssignment.js';
import { unwrap } from './values.js';

export async function assign(
  statement: AssignmentNode,
  ctx: EvalContext,
  runStatement: (value: Statement, out: unknown[]) => Promise<void>,
): Promise<void> {
  const variables = ctx.variables;
  let value: unknown = 1;
  const only = statement.value?.kind === 'pipeline' ? statement.value.elements : [];
  if (only.length === 1 && only[0]?.kind === 'expression-element') {
    // `$a = @()` and `$a = 1, 2` keep the array as it is (about_Assignment_Operators).
    value = await evaluate(only[0].expression, ctx);
  } else if (statement.value) {
    const out: unknown[] = [];
    await runStatement(statement.value, out);
    value =
      statement.value.kind === 'assignment' ? variables.get(statement.value.variable) : unwrap(out);
  }
  if (statement.typeConstraint !== undefined) value = cast(statement.typeConstraint, value);
  if (statement.target)
    return assignToTarget({ ...statement, target: statement.target }, value, ctx);
  if (statement.variable.toLowerCase() === 'null') return;
  if (statement.operator !== '=') {
    const operator = assignmentArithmetic(statement.operator);
    value = variables.budget.checkValue(
      arithmetic(operator, variables.get(statement.variable), value, variables.budget),
    );
  }
  variables.set(statement.variable, value);
}
