/**
 * ConvertTo-Json and ConvertFrom-Json (Microsoft.PowerShell.Utility reference pages, Windows
 * PowerShell 5.1). ConvertTo-Json writes 5.1's layout (format/json.ts); ConvertFrom-Json joins
 * its input strings with new lines (so `Get-Content x.json | ConvertFrom-Json` works), parses
 * them and gives PSCustomObjects, arrays item by item. A document nested deeper than the
 * parser's nesting limit or with more values than a collection may hold ends the script with this
 * product's limit record, so a hostile document costs bounded work; each value is a step.
 */
import { PsError } from '../errors.js';
import { convertToJson } from '../format/json.js';
import { defaultRunLimits, limitExceeded } from '../runtime/budget.js';
import { PsObject, customObjectType, toArray, toPsString } from '../runtime/values.js';
import { cls, inputOf } from './cmdletHelpers.js';
import type { CmdletContext, CmdletDef } from './types.js';

/** The parser's nesting limit (language/parser.ts accepts 200 levels). */
export const MAX_JSON_NESTING = 200;

/** How deep the document nests, scanning outside strings; stops counting past the limit. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_JSON_NESTING) return deepest;
    } else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/**
 * JavaScriptSerializer's message for text that is not JSON: "Invalid JSON primitive: <token>."
 * (the token where parsing failed; we name the first word of the text, our approximation).
 */
function invalidJson(text: string): PsError {
  const token = /^[\s]*([^\s{}[\],:]*)/.exec(text)?.[1] ?? '';
  return new PsError(`Invalid JSON primitive: ${token}.`, {
    category: 'NotSpecified',
    errorId: 'System.ArgumentException',
    exceptionType: 'ArgumentException',
  });
}

/** Parsed JSON as PowerShell values: objects become PSCustomObjects. */
function toPsValue(ctx: CmdletContext, value: unknown): unknown {
  const budget = ctx.variables?.budget;
  const maxItems = budget?.limits.maxCollectionItems ?? defaultRunLimits.maxCollectionItems;
  let count = 0;
  const convert = (v: unknown): unknown => {
    budget?.step();
    if (++count > maxItems)
      throw limitExceeded(`The JSON text holds more than ${maxItems} values.`);
    if (Array.isArray(v)) return v.map(convert);
    if (v !== null && typeof v === 'object') {
      const props: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>))
        props[k] = convert(item);
      return new PsObject(customObjectType, props);
    }
    return v;
  };
  return convert(value);
}

const convertFromJson: CmdletDef = {
  name: 'ConvertFrom-Json',
  className: cls('ConvertFromJsonCommand'),
  params: [{ name: 'InputObject', type: 'any', position: 0, pipelineByValue: true }],
  end(ctx, params, input) {
    const text = inputOf(params, input).map(toPsString).join('\n');
    if (text.trim() === '') return Promise.resolve();
    if (nestingDepth(text) > MAX_JSON_NESTING)
      throw limitExceeded(`The JSON text nests more than ${MAX_JSON_NESTING} levels deep.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.writeError(invalidJson(text));
      return Promise.resolve();
    }
    for (const item of toArray(toPsValue(ctx, parsed))) ctx.write(item);
    return Promise.resolve();
  },
};

const convertToJsonCmdlet: CmdletDef = {
  name: 'ConvertTo-Json',
  className: cls('ConvertToJsonCommand'),
  params: [
    { name: 'InputObject', type: 'any', position: 0, pipelineByValue: true },
    { name: 'Depth', type: 'int', netType: 'System.Int32' },
    { name: 'Compress', type: 'switch' },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    if (items.length === 0) return Promise.resolve();
    const depth = typeof params.Depth === 'number' ? params.Depth : 2;
    const text = convertToJson(items, depth, params.Compress === true);
    ctx.variables?.budget.checkString(text.length);
    ctx.write(text);
    return Promise.resolve();
  },
};

export const jsonCmdlets: CmdletDef[] = [convertToJsonCmdlet, convertFromJson];
