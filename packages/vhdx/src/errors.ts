/** What went wrong, for callers that branch on it. */
export type VhdxErrorCode =
  | 'CORRUPT'
  | 'UNSUPPORTED'
  | 'RANGE'
  | 'PARENT_MISSING'
  | 'PARENT_MISMATCH'
  | 'CHAIN_CYCLE'
  | 'READ_ONLY'
  | 'CLOSED'
  | 'INVALID_ARGUMENT'
  | 'ABORTED';

export interface VhdxErrorDetails {
  code?: VhdxErrorCode;
  offset?: number | null;
  field?: string | null;
  cause?: unknown;
}

/**
 * A disk file that is corrupt, hostile, unsupported or used wrongly. The message names the structure
 * (e.g. "BAT", "header 1", "parent locator") and, when known, the file offset.
 */
export class VhdxError extends Error {
  readonly structure: string;
  readonly offset: number | null;
  readonly field: string | null;
  readonly code: VhdxErrorCode;

  constructor(structure: string, detail: string, details: VhdxErrorDetails = {}) {
    const offset = details.offset ?? null;
    const field = details.field ?? null;
    const where = offset === null ? '' : ` at offset ${offset} (0x${offset.toString(16)})`;
    const what = field === null ? '' : ` field ${field}`;
    super(
      `${structure}${where}${what}: ${detail}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'VhdxError';
    this.structure = structure;
    this.offset = offset;
    this.field = field;
    this.code = details.code ?? 'CORRUPT';
  }
}
