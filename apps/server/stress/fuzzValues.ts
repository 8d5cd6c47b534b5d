import type { Random } from '@hvm/stress-support';

/** Strings that break careless code: empty, huge, control characters, NUL, right-to-left, emoji, paths, markup. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '😀'.repeat(30),
  'ｆｕｌｌｗｉｄｔｈ',
  '..',
  '../../etc/passwd',
  '..\\..\\Windows',
  'C:\\Windows\\System32',
  '/etc/passwd',
  '\\\\server\\share',
  '%00',
  '%ZZ',
  '%',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '\r\nX-Injected: 1',
  'x'.repeat(101),
  'x'.repeat(10_000),
  '\ud800',
  'Ω≈ç√∫˜µ≤≥÷',
];

export const NASTY_NUMBERS: readonly number[] = [
  0,
  -1,
  1,
  0.5,
  -0.0,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  65535,
  65536,
];

export function nastyString(random: Random): string {
  if (random.chance(0.2)) {
    const length = random.int(40);
    let out = '';
    for (let i = 0; i < length; i += 1)
      out += String.fromCodePoint(random.chance(0.8) ? 32 + random.int(95) : random.int(0x2ffff));
    return out;
  }
  return random.pick(NASTY_STRINGS);
}

/** Any JSON value, nested up to `depth`. */
export function randomJson(random: Random, depth = 3): unknown {
  const roll = random.int(depth > 0 ? 8 : 5);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick(NASTY_NUMBERS);
    case 3:
    case 4:
      return nastyString(random);
    case 5:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = random.int(5); i > 0; i -= 1)
        out[random.chance(0.7) ? nastyString(random).slice(0, 20) : 'name'] = randomJson(
          random,
          depth - 1,
        );
      return out;
    }
  }
}

export type Schema = Record<string, unknown>;

/** Follows `$ref: '#/components/schemas/X'` in the OpenAPI document. */
export function resolveRef(document: Schema, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  let node: unknown = document;
  for (const part of ref.replace(/^#\//, '').split('/'))
    node = (node as Record<string, unknown>)[part];
  return resolveRef(document, (node ?? {}) as Schema);
}

/** A value that fits the schema, mostly; now and then one field is wrong, missing, extra or hostile. */
export function fromSchema(document: Schema, raw: Schema, random: Random, depth = 4): unknown {
  const schema = resolveRef(document, raw);
  if (random.chance(0.08) || depth <= 0) return randomJson(random, 1);
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0)
    return fromSchema(document, random.pick(variants), random, depth - 1);
  const enumValues = schema.enum as unknown[] | undefined;
  if (Array.isArray(enumValues) && enumValues.length > 0)
    return random.chance(0.85) ? random.pick(enumValues) : nastyString(random);
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? random.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'string':
      return random.chance(0.6) ? `value ${random.int(1000)}` : nastyString(random);
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 4096;
      return random.chance(0.6)
        ? min + random.int(Math.max(1, Math.min(max - min, 2 ** 31)))
        : random.pick(NASTY_NUMBERS);
    }
    case 'boolean':
      return random.chance(0.5);
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      return Array.from({ length: random.int(4) }, () =>
        fromSchema(document, items, random, depth - 1),
      );
    }
    case 'object':
    default: {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const [key, value] of Object.entries(properties))
        if (random.chance(0.7)) out[key] = fromSchema(document, value, random, depth - 1);
      if (random.chance(0.1))
        out[nastyString(random).slice(0, 30) || 'extra'] = randomJson(random, 1);
      return out;
    }
  }
}
