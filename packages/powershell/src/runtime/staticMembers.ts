/**
 * The static members of .NET types that administrators' scripts use: `[datetime]::Now`,
 * `[math]::Round($x, 2)`, `[timespan]::FromMinutes(5)`, `[string]::IsNullOrEmpty($s)`,
 * `[guid]::NewGuid()`, `[int]::MaxValue`, `[System.IO.Path]::Combine(...)`, `[regex]::Escape(...)`
 * (the .NET API reference of each type). Errors are PowerShell's ExtendedTypeSystem.resx texts
 * (MethodNotFound, MethodArgumentCountException) and ParserStrings.TypeNotFound.
 */
import { randomUUID } from 'node:crypto';
import type { StaticMemberNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import { toNumberOrFail } from './arithmetic.js';
import { compositeFormat } from './compositeFormat.js';
import type { RunLimits } from './budget.js';
import { defaultRunLimits, limitExceeded } from './budget.js';
import { joined } from './operators.js';
import { PsRegex } from './regex.js';
import { guidObject, toDate, toTimeSpan } from './typeConversion.js';
import { TimeSpan, toArray, toPsString } from './values.js';

type Member = (args: unknown[], limits: RunLimits) => unknown;
interface StaticType {
  name: string;
  properties: Record<string, () => unknown>;
  methods: Record<string, { arities: number[] | 'any'; call: Member }>;
}

const num = (v: unknown): number => toNumberOrFail(v);
const str = (v: unknown): string => toPsString(v);

/** .NET's Math.Round: halves to the even neighbour (MidpointRounding.ToEven). */
function roundHalfEven(n: number, digits = 0): number {
  const scale = 10 ** digits;
  const scaled = Number((n * scale).toPrecision(15));
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return rounded / scale;
}

const timeSpanFrom = (unitMs: number): { arities: number[]; call: Member } => ({
  arities: [1],
  call: ([v]) => new TimeSpan(num(v) * unitMs),
});

/** Windows paths: `\` separates, as on the Hyper-V host. */
const pathParts = (p: string): { dir: string; file: string } => {
  const at = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return { dir: at === -1 ? '' : p.slice(0, at), file: p.slice(at + 1) };
};

const types: StaticType[] = [
  {
    name: 'System.DateTime',
    properties: {
      now: () => new Date(),
      today: () => {
        const d = new Date();
        d.setHours(0, 0, 0, 0);
        return d;
      },
      utcnow: () => new Date(),
    },
    methods: {
      parse: { arities: [1, 2], call: ([v]) => toDate(v) },
      daysinmonth: {
        arities: [2],
        call: ([y, m]) => new Date(num(y), num(m), 0).getDate(),
      },
      isleapyear: {
        arities: [1],
        call: ([y]) => {
          const year = num(y);
          return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        },
      },
    },
  },
  {
    name: 'System.Math',
    properties: { pi: () => Math.PI, e: () => Math.E },
    methods: {
      round: {
        arities: [1, 2],
        call: ([v, d]) => roundHalfEven(num(v), d === undefined ? 0 : num(d)),
      },
      floor: { arities: [1], call: ([v]) => Math.floor(num(v)) },
      ceiling: { arities: [1], call: ([v]) => Math.ceil(num(v)) },
      truncate: { arities: [1], call: ([v]) => Math.trunc(num(v)) },
      abs: { arities: [1], call: ([v]) => Math.abs(num(v)) },
      max: { arities: [2], call: ([a, b]) => Math.max(num(a), num(b)) },
      min: { arities: [2], call: ([a, b]) => Math.min(num(a), num(b)) },
      pow: { arities: [2], call: ([a, b]) => num(a) ** num(b) },
      sqrt: { arities: [1], call: ([v]) => Math.sqrt(num(v)) },
      sign: { arities: [1], call: ([v]) => Math.sign(num(v)) },
      log: {
        arities: [1, 2],
        call: ([v, b]) =>
          b === undefined ? Math.log(num(v)) : Math.log(num(v)) / Math.log(num(b)),
      },
      log10: { arities: [1], call: ([v]) => Math.log10(num(v)) },
      exp: { arities: [1], call: ([v]) => Math.exp(num(v)) },
    },
  },
  {
    name: 'System.TimeSpan',
    properties: { zero: () => new TimeSpan(0) },
    methods: {
      fromdays: timeSpanFrom(86_400_000),
      fromhours: timeSpanFrom(3_600_000),
      fromminutes: timeSpanFrom(60_000),
      fromseconds: timeSpanFrom(1000),
      frommilliseconds: timeSpanFrom(1),
      fromticks: timeSpanFrom(1 / 10_000),
      parse: { arities: [1], call: ([v]) => toTimeSpan(v) },
    },
  },
  {
    name: 'System.String',
    properties: { empty: () => '' },
    methods: {
      isnullorempty: {
        arities: [1],
        call: ([v]) => v === null || v === undefined || str(v) === '',
      },
      isnullorwhitespace: {
        arities: [1],
        call: ([v]) => v === null || v === undefined || str(v).trim() === '',
      },
      join: {
        arities: 'any',
        call: ([separator, ...rest], limits) =>
          joined(rest.length === 1 ? toArray(rest[0]) : rest, str(separator), { limits }),
      },
      concat: {
        arities: 'any',
        call: (args) =>
          joined(
            args.flatMap((a) => toArray(a)),
            '',
            { limits: defaultRunLimits },
          ),
      },
      format: {
        arities: 'any',
        call: ([format, ...rest], limits) => {
          const max = limits.maxStringLength;
          return compositeFormat(
            str(format),
            rest.length === 1 ? toArray(rest[0]) : rest,
            max,
            () => limitExceeded(`The script built a string of more than ${max} characters.`),
          );
        },
      },
    },
  },
  {
    name: 'System.Guid',
    properties: { empty: () => guidObject('00000000-0000-0000-0000-000000000000') },
    methods: { newguid: { arities: [0], call: () => guidObject(randomUUID()) } },
  },
  ...[
    { name: 'System.Int32', max: 2147483647, min: -2147483648 },
    // Int64's limits are beyond a JavaScript number's exact range: [long]::MaxValue is not given.
    { name: 'System.Int64', max: null, min: null },
    { name: 'System.Double', max: Number.MAX_VALUE, min: -Number.MAX_VALUE },
  ].map(({ name, max, min }): StaticType => ({
    name,
    properties: { maxvalue: () => max, minvalue: () => min },
    methods: { parse: { arities: [1], call: ([v]) => toNumberOrFail(str(v)) } },
  })),
  {
    // Console lines end in "\n" in this product, so NewLine is "\n" (Windows' is "\r\n").
    name: 'System.Environment',
    properties: { newline: () => '\n' },
    methods: {},
  },
  {
    name: 'System.IO.Path',
    properties: {},
    methods: {
      combine: {
        arities: 'any',
        call: (parts) =>
          parts.map(str).reduce((acc, part) => {
            if (acc === '' || /^([A-Za-z]:)?[\\/]/.test(part)) return part;
            return /[\\/]$/.test(acc) ? acc + part : `${acc}\\${part}`;
          }, ''),
      },
      getfilename: { arities: [1], call: ([p]) => pathParts(str(p)).file },
      getdirectoryname: { arities: [1], call: ([p]) => pathParts(str(p)).dir },
      getextension: {
        arities: [1],
        call: ([p]) => {
          const file = pathParts(str(p)).file;
          const dot = file.lastIndexOf('.');
          return dot === -1 ? '' : file.slice(dot);
        },
      },
      getfilenamewithoutextension: {
        arities: [1],
        call: ([p]) => {
          const file = pathParts(str(p)).file;
          const dot = file.lastIndexOf('.');
          return dot === -1 ? file : file.slice(0, dot);
        },
      },
    },
  },
  {
    name: 'System.Text.RegularExpressions.Regex',
    properties: {},
    methods: {
      escape: {
        arities: [1],
        call: ([v]) => str(v).replace(/[\\*+?|{[()^$.# \t\n\r\f]/g, (c) => `\\${c}`),
      },
      ismatch: {
        arities: [2],
        call: ([input, pattern]) => PsRegex.compile(str(pattern), true).test(str(input)),
      },
    },
  },
];

const aliases: Record<string, string> = {
  datetime: 'System.DateTime',
  math: 'System.Math',
  timespan: 'System.TimeSpan',
  string: 'System.String',
  guid: 'System.Guid',
  int: 'System.Int32',
  int32: 'System.Int32',
  long: 'System.Int64',
  int64: 'System.Int64',
  double: 'System.Double',
  environment: 'System.Environment',
  'io.path': 'System.IO.Path',
  regex: 'System.Text.RegularExpressions.Regex',
};

function findType(written: string): StaticType | undefined {
  const lower = written.toLowerCase();
  const full = (aliases[lower] ?? aliases[lower.replace(/^system\./, '')] ?? written).toLowerCase();
  return types.find((t) => t.name.toLowerCase() === full);
}

/** `[type]::Member` (args null) or `[type]::Method(args)`. */
export function staticMember(
  node: StaticMemberNode,
  args: unknown[] | null,
  limits: RunLimits = defaultRunLimits,
): unknown {
  const type = findType(node.type);
  if (!type)
    throw new PsError(`Unable to find type [${node.type}].`, {
      category: 'InvalidOperation',
      errorId: 'TypeNotFound',
      exceptionType: 'RuntimeException',
      target: node.type,
      targetType: 'TypeName',
      reach: 'statement',
    });
  const name = node.member.toLowerCase();
  if (args === null) return type.properties[name]?.() ?? null;
  const method = type.methods[name];
  if (!method)
    throw new PsError(
      `Method invocation failed because [${type.name}] does not contain a method named '${node.member}'.`,
      {
        category: 'InvalidOperation',
        errorId: 'MethodNotFound',
        exceptionType: 'RuntimeException',
        reach: 'statement',
      },
    );
  if (method.arities !== 'any' && !method.arities.includes(args.length))
    throw new PsError(
      `Cannot find an overload for "${node.member}" and the argument count: "${args.length}".`,
      {
        category: 'NotSpecified',
        errorId: 'MethodCountCouldNotFindBest',
        exceptionType: 'MethodException',
        reach: 'statement',
      },
    );
  return method.call(args, limits);
}
