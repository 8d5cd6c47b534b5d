/**
 * Assigning to a member or an element (about_Assignment_Operators): `$h.Name = 1`,
 * `$h['Name'] += 1`, `$obj.Note = 'x'`, `$a[0] = 5`. Errors are PowerShell's: ParserStrings
 * IndexOutOfRange for an array element beyond the end, ExtendedTypeSystem PropertyNotFound for a
 * property an object does not have.
 */
import type { AssignmentNode, IndexNode, MemberNode } from '../language/ast.js';
import { assignmentArithmetic } from '../language/ast.js';
import { PsError } from '../errors.js';
import { arithmetic } from './arithmetic.js';
import type { EvalContext } from './evaluate.js';
import { evaluate } from './evaluate.js';
import { PsHashtable } from './hashtable.js';
import { PsObject, getMember, toPsString } from './values.js';

function cannotAssign(message: string, errorId: string, target: MemberNode | IndexNode): PsError {
  return new PsError(message, {
    category: 'InvalidOperation',
    errorId,
    exceptionType: 'RuntimeException',
    reach: 'statement',
    extent: target,
  });
}

function currentValue(container: unknown, target: MemberNode | IndexNode, key: unknown): unknown {
  if (target.kind === 'member') return getMember(container, toPsString(key));
  if (container instanceof PsHashtable) return container.get(key) ?? null;
  if (Array.isArray(container) && typeof key === 'number')
    return container[key < 0 ? container.length + key : key] ?? null;
  return null;
}

export async function assignToTarget(
  statement: AssignmentNode & { target: MemberNode | IndexNode },
  value: unknown,
  ctx: EvalContext,
): Promise<void> {
  const target = statement.target;
  const container = await evaluate(target.target, ctx);
  const key = target.kind === 'member' ? target.member : await evaluate(target.index, ctx);
  let newValue = value;
  if (statement.operator !== '=') {
    const operator = assignmentArithmetic(statement.operator);
    const budget = ctx.variables.budget;
    newValue = budget.checkValue(
      arithmetic(operator, currentValue(container, target, key), value, budget),
    );
  }
  if (container instanceof PsHashtable) {
    container.set(key, newValue);
    ctx.variables.budget.checkCollection(container.count);
    return;
  }
  if (target.kind === 'index' && Array.isArray(container)) {
    const index = typeof key === 'number' ? key : Number(toPsString(key));
    const at = index < 0 ? container.length + index : index;
    if (!Number.isInteger(at) || at < 0 || at >= container.length)
      // ParserStrings.IndexOutOfRange
      throw cannotAssign(
        `Array assignment failed because index '${toPsString(key)}' was out of range.`,
        'IndexOutOfRange',
        target,
      );
    container[at] = newValue;
    return;
  }
  if (target.kind === 'member' && container instanceof PsObject) {
    const name = container.key(target.member);
    if (name !== undefined) {
      container.props[name] = newValue;
      return;
    }
  }
  if (container === null || container === undefined)
    // ExtendedTypeSystem: "The property '{0}' cannot be found on this object..." for $null too;
    // an index into $null is "Cannot index into a null array." (NullArray).
    throw target.kind === 'index'
      ? cannotAssign('Cannot index into a null array.', 'NullArray', target)
      : cannotAssign(
          `The property '${target.member}' cannot be found on this object. Verify that the property exists and can be set.`,
          'PropertyNotFound',
          target,
        );
  throw target.kind === 'index'
    ? cannotAssign(
        `Unable to index into an object of type "${container instanceof PsObject ? container.typeName : 'System.Object'}".`,
        'CannotIndex',
        target,
      )
    : cannotAssign(
        `The property '${target.member}' cannot be found on this object. Verify that the property exists and can be set.`,
        'PropertyNotFound',
        target,
      );
}
