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
  | FunctionNode
  | SwitchNode
  | TrapNode;

export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '++' | '--';

/** The compound assignment operators after a variable, member or index (about_Assignment_Operators). */
export const compoundAssignmentOperators: readonly string[] = [
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '++',
  '--',
];

/** The arithmetic operator a compound assignment applies (`+=` and `++` add). */
export function assignmentArithmetic(operator: AssignmentOperator): '+' | '-' | '*' | '/' | '%' {
  if (operator === '++') return '+';
  if (operator === '--') return '-';
  return operator[0] as '+' | '-' | '*' | '/' | '%';
}

/** `$x = ...`, `$x += ...`, `$i++` (value null for `++`/`--`); `$null = ...` discards. */
export interface AssignmentNode extends Extent {
  kind: 'assignment';
  /** The variable assigned, or the variable the member or index target starts from. */
  variable: string;
  /** `$h.Name = ...`, `$h['Name'] = ...`, `$a[0] = ...`: the member or element assigned. */
  target?: MemberNode | IndexNode;
  /** `[int]$x = ...`: the value is converted to this type (about_Variables, type-constrained variables). */
  typeConstraint?: string;
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
  /** `:label` before the loop (about_Break, about_Continue). */
  label?: string;
  kind: 'foreach';
  variable: string;
  collection: Statement;
  body: Block;
}

export interface ForNode extends Extent {
  /** `:label` before the loop (about_Break, about_Continue). */
  label?: string;
  kind: 'for';
  init: Statement | null;
  condition: Statement | null;
  iterator: Statement | null;
  body: Block;
}

export interface WhileNode extends Extent {
  /** `:label` before the loop (about_Break, about_Continue). */
  label?: string;
  kind: 'while';
  condition: Statement;
  body: Block;
}

/** `do { } while (...)` runs while the condition is true, `do { } until (...)` until it is. */
export interface DoNode extends Extent {
  /** `:label` before the loop (about_Break, about_Continue). */
  label?: string;
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
  /** `break outer`, `continue outer`: the label of the loop to leave or go on with. */
  label?: string;
}

/** One clause of a switch: a value, a wildcard, a pattern or a script block; or `default`. */
export interface SwitchClause extends Extent {
  /** Null for `default`. */
  condition: Expression | null;
  body: Block;
}

/** `switch [-Regex|-Wildcard|-Exact] [-CaseSensitive] (value) { clause { } ... }` (about_Switch). */
export interface SwitchNode extends Extent {
  kind: 'switch';
  label?: string;
  mode: 'exact' | 'wildcard' | 'regex';
  caseSensitive: boolean;
  value: Statement;
  clauses: SwitchClause[];
}

/** `trap [Type] { ... }` (about_Trap): handles the terminating errors of its scope. */
export interface TrapNode extends Extent {
  kind: 'trap';
  /** The exception type named in brackets, or null for every error. */
  type: string | null;
  body: Block;
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

/** `[Name(arg, Key = value)]` before a param block or a parameter (about_Functions_Advanced). */
export interface AttributeNode extends Extent {
  name: string;
  /** Positional arguments (`[ValidateSet('a', 'b')]`). */
  args: Expression[];
  /** Named arguments; `[Parameter(Mandatory)]` is Mandatory with no value (true). */
  named: { name: string; value: Expression | null }[];
}

export interface ParameterNode extends Extent {
  name: string;
  /** `[string]`, `[int]`... as written (lower case), or null. */
  type: string | null;
  defaultValue: Expression | null;
  /** `[Parameter(...)]`, `[ValidateSet(...)]`, `[Alias(...)]`... */
  attributes?: AttributeNode[];
}

/** `function Name { param(...) ... }` or `function Name($a, $b) { ... }`. */
export interface FunctionNode extends Extent {
  kind: 'function';
  name: string;
  parameters: ParameterNode[];
  /** The body, or its `end { }` block when it has named blocks. */
  body: Block;
  /** `begin { }` and `process { }` (about_Functions_Advanced_Methods); a `filter`'s body is its process block. */
  begin?: Block;
  process?: Block;
  /** The attributes before `param(...)`: `[CmdletBinding(SupportsShouldProcess)]`. */
  attributes?: AttributeNode[];
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

export type CommandArgument = ParameterArgument | ValueArgument | SplatArgument;

/** `@params` (about_Splatting): a hashtable's pairs as named arguments, an array's items as positional ones. */
export interface SplatArgument extends Extent {
  kind: 'splat';
  variable: string;
}

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
  | CastNode
  | HashLiteralNode
  | StaticMemberNode;

/** `@{ key = value; ... }` (about_Hash_Tables). */
export interface HashLiteralNode extends Extent {
  kind: 'hash';
  entries: { key: Expression; value: Statement }[];
}

/** `[datetime]::Now`, `[math]::Round($x, 2)` (about_Classes / static members of .NET types). */
export interface StaticMemberNode extends Extent {
  kind: 'static';
  type: string;
  member: string;
  args?: Expression[];
}

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
  /** `begin { }` and `process { }` blocks; `statements` is then the `end` block. */
  begin?: Block;
  process?: Block;
  attributes?: AttributeNode[];
  text: string;
}

export interface UnaryNode extends Extent {
  kind: 'unary';
  /** `!`/`-not`, unary `-split` and `-join` (about_Split, about_Join), `-` (negation). */
  operator: 'not' | 'split' | 'join' | 'negate';
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
  'join',
  'is',
  'isnot',
  'as',
] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

export interface BinaryNode extends Extent {
  kind: 'binary';
  /** `f` is the format operator (`'{0:N2}' -f $x`, about_Operators); `xor` (about_Logical_Operators). */
  operator: ComparisonOperator | 'and' | 'or' | 'xor' | 'f';
  /** `-ceq`, `-cmatch`, `-clike`...: case-sensitive (the plain and `-i` forms are not). */
  caseSensitive?: boolean;
  left: Expression;
  right: Expression;
}
