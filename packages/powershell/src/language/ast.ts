/** The syntax tree of the PowerShell subset. Offsets are character offsets into the script. */

export interface Extent {
  start: number;
  end: number;
}

export interface Script extends Extent {
  kind: 'script';
  statements: Statement[];
}

export type Statement = PipelineNode | AssignmentNode;

export interface AssignmentNode extends Extent {
  kind: 'assignment';
  variable: string;
  value: PipelineNode;
}

export interface PipelineNode extends Extent {
  kind: 'pipeline';
  /** The first element may be an expression; the others are commands. */
  elements: (CommandNode | ExpressionElement)[];
}

export interface ExpressionElement extends Extent {
  kind: 'expression-element';
  expression: Expression;
}

export interface CommandNode extends Extent {
  kind: 'command';
  name: string;
  nameExtent: Extent;
  args: CommandArgument[];
}

export type CommandArgument = ParameterArgument | ValueArgument;

/** `-Name`, `-Name:value` (value set), or `-Name value` (value bound later by the binder). */
export interface ParameterArgument extends Extent {
  kind: 'parameter';
  name: string;
  /** Set only for the `-Name:value` form. */
  value: Expression | null;
}

export interface ValueArgument extends Extent {
  kind: 'value';
  value: Expression;
}

export type Expression =
  | LiteralNode
  | ExpandableStringNode
  | VariableNode
  | ArrayLiteralNode
  | SubExpressionNode
  | ArraySubExpressionNode
  | ParenNode
  | MemberNode
  | IndexNode
  | ScriptBlockNode
  | UnaryNode
  | BinaryNode;

export interface LiteralNode extends Extent {
  kind: 'literal';
  value: string | number;
  /** True for barewords in argument mode (they are strings, and may hold wildcards). */
  bare?: boolean;
}

export type StringPart = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expression };

export interface ExpandableStringNode extends Extent {
  kind: 'expandable';
  parts: StringPart[];
}

export interface VariableNode extends Extent {
  kind: 'variable';
  name: string;
}

export interface ArrayLiteralNode extends Extent {
  kind: 'array';
  items: Expression[];
}

/** `$( ... )` */
export interface SubExpressionNode extends Extent {
  kind: 'subexpression';
  statements: Statement[];
}

/** `@( ... )` */
export interface ArraySubExpressionNode extends Extent {
  kind: 'array-subexpression';
  statements: Statement[];
}

/** `( pipeline )` */
export interface ParenNode extends Extent {
  kind: 'paren';
  pipeline: Statement;
}

export interface MemberNode extends Extent {
  kind: 'member';
  target: Expression;
  member: string;
  /** Set for a method call: `.AddDays(-7)`. */
  args?: Expression[];
}

export interface IndexNode extends Extent {
  kind: 'index';
  target: Expression;
  index: Expression;
}

export interface ScriptBlockNode extends Extent {
  kind: 'scriptblock';
  statements: Statement[];
  text: string;
}

export interface UnaryNode extends Extent {
  kind: 'unary';
  operator: 'not';
  operand: Expression;
}

export const comparisonOperators = [
  'eq',
  'ne',
  'gt',
  'lt',
  'ge',
  'le',
  'like',
  'notlike',
  'match',
  'notmatch',
  'contains',
  'notcontains',
  'in',
  'notin',
  'replace',
  'split',
] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

export interface BinaryNode extends Extent {
  kind: 'binary';
  operator: ComparisonOperator | 'and' | 'or';
  /** `-ceq`, `-cmatch`, `-clike`...: case-sensitive (the plain and `-i` forms are not). */
  caseSensitive?: boolean;
  left: Expression;
  right: Expression;
}
