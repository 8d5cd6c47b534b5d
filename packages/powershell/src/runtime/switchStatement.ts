/**
 * The switch statement (about_Switch): each item of the value (an array item by item) is tested
 * against every clause in order, and every clause that matches runs, with `$_` the item; `default`
 * runs when no other clause matched. Conditions are values compared with -eq (the default, or
 * `-Exact`), wildcards (`-Wildcard`), regular expressions (`-Regex`, setting `$Matches`), or script
 * blocks (`{ $_ -gt 5 }`, true when their output is); all without case unless `-CaseSensitive`.
 * `break` ends the switch, `continue` goes on with the next item; a labelled one reaches the loop
 * of that label. Each item is a step of the run's budget.
 */
import type { Expression, SwitchClause, SwitchNode } from '../language/ast.js';
import { equals, evaluate } from './evaluate.js';
import type { EvalContext } from './evaluate.js';
import { PsRegex, matchesVariable, wildcardMatcher } from './regex.js';
import type { StatementRunner } from './statements.js';
import { BreakSignal, ContinueSignal, conditionValue, signalFor } from './statements.js';
import { isTruthy, toPsString, unwrap } from './values.js';
import type { Variables } from './variables.js';

async function clauseMatches(
  node: SwitchNode,
  condition: Expression,
  item: unknown,
  ctx: EvalContext,
): Promise<boolean> {
  if (condition.kind === 'scriptblock')
    return isTruthy(unwrap(await ctx.runStatements(condition.statements, ctx.variables)));
  const value = await evaluate(condition, ctx);
  switch (node.mode) {
    case 'wildcard':
      return wildcardMatcher(toPsString(value), node.caseSensitive).test(toPsString(item));
    case 'regex': {
      const match = PsRegex.compile(toPsString(value), node.caseSensitive).match(toPsString(item));
      if (match) ctx.variables.set('Matches', matchesVariable(match));
      return match !== null;
    }
    case 'exact':
      return equals(item, value, node.caseSensitive);
  }
}

/** Runs a clause's body; true when a `continue` for this switch ended it (next item). */
async function runClause(
  runner: StatementRunner,
  clause: SwitchClause,
  variables: Variables,
  out: unknown[],
  label: string | undefined,
): Promise<'next-clause' | 'next-item'> {
  try {
    await runner.runInto(clause.body, variables, out);
    return 'next-clause';
  } catch (signal) {
    if (signal instanceof ContinueSignal && signalFor(signal, label)) return 'next-item';
    throw signal;
  }
}

export async function runSwitch(
  runner: StatementRunner,
  node: SwitchNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  const value = await conditionValue(runner, node.value, variables);
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const ctx: EvalContext = {
    variables,
    runStatements: async (statements, scope) => {
      const output: unknown[] = [];
      await runner.runInto(statements, scope, output);
      return output;
    },
  };
  const fallback = node.clauses.find((c) => c.condition === null);
  try {
    items: for (const item of items) {
      variables.budget.step();
      variables.set('_', item);
      variables.set('PSItem', item);
      let matched = false;
      for (const clause of node.clauses) {
        if (clause.condition === null) continue;
        if (!(await clauseMatches(node, clause.condition, item, ctx))) continue;
        matched = true;
        if ((await runClause(runner, clause, variables, out, node.label)) === 'next-item')
          continue items;
      }
      if (!matched && fallback) await runClause(runner, fallback, variables, out, node.label);
    }
  } catch (signal) {
    if (signal instanceof BreakSignal && signalFor(signal, node.label)) return;
    throw signal;
  }
}
