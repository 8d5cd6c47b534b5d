/**
 * Get-Member (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): one
 * MemberDefinition (TypeName, Name, MemberType, Definition) per member of each distinct input
 * type, sorted by member type and then name as GetMemberCommand's MemberComparer does; -Name
 * (wildcards) and -MemberType filter. The view is PowerShell's MemberDefinition table grouped by
 * TypeName. Methods: the four every object has (System.Object's), plus the ones this product's
 * runtime calls (runtime/methods.ts) on strings and DateTimes; .NET has more.
 */
import { PsError } from '../errors.js';
import { memberDefinitionType } from '../format/utilityViews.js';
import { wildcardToRegExp } from '../runtime/evaluate.js';
import { PsObject, customObjectType, toArray, toPsString } from '../runtime/values.js';
import { cls, step } from './cmdletHelpers.js';
import {
  definitionTypeName,
  hyperVAliases,
  hyperVPropertyTypes,
  netTypeName,
} from './memberTypes.js';
import type { CmdletDef } from './types.js';

interface Member {
  name: string;
  memberType: string;
  definition: string;
}

const objectMethods: Member[] = [
  { name: 'Equals', memberType: 'Method', definition: 'bool Equals(System.Object obj)' },
  { name: 'GetHashCode', memberType: 'Method', definition: 'int GetHashCode()' },
  { name: 'GetType', memberType: 'Method', definition: 'type GetType()' },
  { name: 'ToString', memberType: 'Method', definition: 'string ToString()' },
];

const method = (definition: string): Member => ({
  name: /(\w+)\(/.exec(definition)?.[1] ?? definition,
  memberType: 'Method',
  definition,
});

/** The members our runtime gives the .NET types scripts use most (a subset of .NET's). */
const scalarMembers: Record<string, Member[]> = {
  'System.String': [
    { name: 'Length', memberType: 'Property', definition: 'int Length {get;}' },
    method('bool Contains(string value)'),
    method('bool EndsWith(string value)'),
    method('string Replace(string oldValue, string newValue)'),
    method('bool StartsWith(string value)'),
    method('string ToLower()'),
    method('string ToUpper()'),
    method('string Trim()'),
  ],
  'System.DateTime': [
    method('datetime AddDays(double value)'),
    method('datetime AddHours(double value)'),
    method('datetime AddMinutes(double value)'),
    method('datetime AddSeconds(double value)'),
    method('datetime AddMilliseconds(double value)'),
    ...['Day', 'Hour', 'Minute', 'Month', 'Second', 'Year'].map((name): Member => ({
      name,
      memberType: 'Property',
      definition: `int ${name} {get;}`,
    })),
  ],
};

function membersOf(value: unknown): Member[] {
  const members = [...objectMethods];
  const typeName = netTypeName(value);
  members.push(...(scalarMembers[typeName] ?? []));
  if (value instanceof PsObject) {
    const known = hyperVPropertyTypes[value.typeName];
    const aliases = hyperVAliases[value.typeName] ?? {};
    for (const name of value.propertyNames) {
      const v = value.props[name];
      const alias = aliases[name];
      if (alias !== undefined)
        members.push({ name, memberType: 'AliasProperty', definition: `${name} = ${alias}` });
      else if (known === undefined)
        // A custom object's properties are note properties showing their value.
        members.push({
          name,
          memberType: 'NoteProperty',
          definition: `${definitionTypeName(v)} ${name}=${v === null || v === undefined ? 'null' : toPsString(v)}`,
        });
      else
        members.push({
          name,
          memberType: 'Property',
          definition: `${known[name] ?? definitionTypeName(v)} ${name} {get;}`,
        });
    }
  }
  const ordinal = (a: string, b: string): number => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return members.sort((a, b) => ordinal(a.memberType, b.memberType) || ordinal(a.name, b.name));
}

const memberTypeGroups: Record<string, string[]> = {
  properties: ['AliasProperty', 'NoteProperty', 'Property', 'ScriptProperty', 'CodeProperty'],
  methods: ['Method', 'ScriptMethod', 'CodeMethod'],
};

export const getMember: CmdletDef = {
  name: 'Get-Member',
  aliases: ['gm'],
  className: cls('GetMemberCommand'),
  params: [
    { name: 'Name', type: 'string[]', position: 0 },
    { name: 'MemberType', type: 'string[]', aliases: ['Type'] },
    { name: 'Static', type: 'switch' },
    { name: 'Force', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  end(ctx, params, input) {
    const items = input.length === 0 ? toArray(params.InputObject) : input;
    if (items.length === 0) {
      throw new PsError('You must specify an object for the Get-Member cmdlet.', {
        category: 'CloseError',
        errorId: 'NoObjectInGetMember',
        exceptionType: 'InvalidOperationException',
        reach: 'statement',
      });
    }
    const names = toArray(params.Name).map((n) => wildcardToRegExp(toPsString(n)));
    const kinds = toArray(params.MemberType).flatMap((k) => {
      const text = toPsString(k).toLowerCase();
      return text === 'all' ? [] : (memberTypeGroups[text] ?? [text]).map((t) => t.toLowerCase());
    });
    const seen = new Set<string>();
    for (const item of items) {
      step(ctx);
      const typeName = netTypeName(item);
      const key =
        item instanceof PsObject && item.typeName === customObjectType
          ? `${typeName}:${item.propertyNames.join(',')}`
          : typeName;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const m of membersOf(item)) {
        if (names.length > 0 && !names.some((n) => n.test(m.name))) continue;
        if (kinds.length > 0 && !kinds.includes(m.memberType.toLowerCase())) continue;
        ctx.write(
          new PsObject(memberDefinitionType, {
            TypeName: typeName,
            Name: m.name,
            MemberType: m.memberType,
            Definition: m.definition,
          }),
        );
      }
    }
    return Promise.resolve();
  },
};
