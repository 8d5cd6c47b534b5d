/** The syntax tree of the PowerShell subset. Offsets are character offsets into the script. */

export interface Extent {
  start: number;
  end: number;
}

export interface Script extends Extent {
  kind: 'script';
  statements: Statement[];
  /** The script's own `param(...)` block (a `-File` script's parameters), if any. */
  parameters?: ParameterNode[];
}

export type Statement =
  | PipelineNode
  | AssignmentNode
  | IfNode
  | ForeachNode
  | ForNode
  | WhileNode
  | DoNode
  | FlowNode
  | TryNode
  | FunctionNode;

export type AssignmentOperator = '=' | '+=' | '-=' | '++' | '--';

/** `$x = ...`, `$x += ...`, `$i++` (value null for `++`/`--`); `$null = ...` discards. */
export interface AssignmentNode extends Extent {
  kind: 'assignment';
  variable: string;
  operator: AssignmentOperator;
  value: Statement | null;
}

export type Block = Statement[];

export interface IfNode extends Extent {
  kind: 'if';
  /** `if` and each `elseif`, in order. */
  clauses: { condition: Statement; body: Block }[];
  elseBody: Block | null;
}

export interface ForeachNode extends Extent {
  kind: 'foreach';
  variable: string;
  collection: Statement;
  body: Block;
}

export interface ForNode extends Extent {
  kind: 'for';
  init: Statement | null;
  condition: Statement | null;
  iterator: Statement | null;
  body: Block;
}

export interface WhileNode extends Extent {
  kind: 'while';
  condition: Statement;
  body: Block;
}

/** `do { } while (...)` runs while the condition is true, `do { } until (...)` until it is. */
export interface DoNode extends Extent {
  kind: 'do';
  until: boolean;
  condition: Statement;
  body: Block;
}

/** `break`, `continue`, `return [pipeline]`, `exit [code]`, `throw [value]`. */
export interface FlowNode extends Extent {
  kind: 'flow';
  keyword: 'break' | 'continue' | 'return' | 'exit' | 'throw';
  value: Statement | null;
}

export interface CatchClause extends Extent {
  /** Type names in brackets; empty catches every error. */
  types: string[];
  body: Block;
}

export interface TryNode extends Extent {
  kind: 'try';
  body: Block;
  catches: CatchClause[];
  finallyBody: Block | null;
}

export interface ParameterNode extends Extent {
  name: string;
  /** `[string]`, `[int]`... as written (lower case), or null. */
  type: string | null;
  defaultValue: Expression | null;
}

/** `function Name { param(...) ... }` or `function Name($a, $b) { ... }`. */
export interface FunctionNode extends Extent {
  kind: 'function';
  name: string;
  parameters: ParameterNode[];
  body: Block;
}

export interface PipelineNode extends Extent {
  kind: 'pipeline';
  /** The first element may be an expression; the others are commands. */
  elements: (CommandNode | ExpressionElement)[];
}

export interface ExpressionElement extends Extent {
  kind: 'expression-element';
  expression: Expression;
  /** `$x > $null`, `'text' 2>&1` (about_Redirection). */
  redirections?: RedirectionNode[];
}

/**
 * A redirection (about_Redirection): `2>&1` and `*>&1` merge a stream into the output, `> target`,
 * `2> target`, `*>> target` send it to a file (`$null` discards it). Streams: 1 Output, 2 Error,
 * 3 Warning, 4 Verbose, 5 Debug, 6 Information, `*` all of them.
 */
export interface RedirectionNode extends Extent {
  kind: 'redirection';
  stream: '*' | 1 | 2 | 3 | 4 | 5 | 6;
  /** `n>&1`: into the output stream. Otherwise `target` is the file (or `$null`). */
  merge: boolean;
  append: boolean;
  target: Expression | null;
}

export interface CommandNode extends Extent {
  kind: 'command';
  name: string;
  nameExtent: Extent;
  args: CommandArgument[];
  /** For `& <expression>`: the script block (or command name) to call. */
  invoke?: Expression;
  /** `Get-VM X 2>&1`, `Write-Warning w 3> $null` (about_Redirection). */
  redirections?: RedirectionNode[];
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
  | BinaryNode
  | ArithmeticNode
  | RangeNode
  | CastNode;

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
  /** A `param(...)` block at the start of the script block. */
  parameters: ParameterNode[];
  text: string;
}

export interface UnaryNode extends Extent {
  kind: 'unary';
  operator: 'not';
  operand: Expression;
}

/** `+ - * / %` (about_Arithmetic_Operators). */
export interface ArithmeticNode extends Extent {
  kind: 'arithmetic';
  operator: '+' | '-' | '*' | '/' | '%';
  left: Expression;
  right: Expression;
}

/** `1..10` (about_Operators, Range operator). */
export interface RangeNode extends Extent {
  kind: 'range';
  from: Expression;
  to: Expression;
}

/** `[void](...)`, `[int]$x`, `[string]...`: a type literal before a value. */
export interface CastNode extends Extent {
  kind: 'cast';
  /** The type name as written, without brackets. */
  type: string;
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
