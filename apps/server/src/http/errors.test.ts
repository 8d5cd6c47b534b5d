import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { HttpErrorCode, statusForCode } from './errors.js';

const restApiDoc = fileURLToPath(new URL('../../docs/rest-api.md', import.meta.url));

/** `code -> status` from the error table of docs/rest-api.md. */
function documentedStatuses(): Map<string, number> {
  const table = new Map<string, number>();
  const errorsSection =
    /^## Errors$([\s\S]*?)^## /m.exec(readFileSync(restApiDoc, 'utf8'))?.[1] ?? '';
  for (const [, codes = '', status = ''] of errorsSection.matchAll(
    /^\| (`[A-Z_]+`.*?) \| (\d{3})/gm,
  )) {
    for (const [, code = ''] of codes.matchAll(/`([A-Z_]+)`/g)) table.set(code, Number(status));
  }
  return table;
}

describe('the code -> status table', () => {
  it('matches every code of the table in docs/rest-api.md', () => {
    const documented = documentedStatuses();
    expect(documented.size).toBeGreaterThanOrEqual(10);
    for (const [code, status] of documented) {
      expect(statusForCode(code as ErrorCode), code).toBe(status);
    }
  });

  it('maps the HTTP layer codes: malformed JSON 400, too large 413, unexpected 500; a corrupt disk 422, a cancelled action 409', () => {
    expect(statusForCode(HttpErrorCode.InvalidJson)).toBe(400);
    expect(statusForCode(HttpErrorCode.PayloadTooLarge)).toBe(413);
    expect(statusForCode(HttpErrorCode.Internal)).toBe(500);
    expect(statusForCode(ErrorCode.Cancelled)).toBe(409);
    expect(statusForCode(ErrorCode.CorruptDisk)).toBe(422);
  });
});
