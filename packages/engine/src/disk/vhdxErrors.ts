import { VhdxError, type VhdxErrorCode } from '@hvm/vhdx';
import { EngineError, ErrorCode } from '../errors.js';
import { userMessage } from '../storage/fileSystemError.js';

/** Each `VhdxError` code as the engine's error catalogue reports it: the one place they meet. */
const ENGINE_CODE_OF: Record<VhdxErrorCode, ErrorCode> = {
  CORRUPT: ErrorCode.CorruptDisk,
  PARENT_MISSING: ErrorCode.CorruptDisk,
  PARENT_MISMATCH: ErrorCode.CorruptDisk,
  CHAIN_CYCLE: ErrorCode.CorruptDisk,
  UNSUPPORTED: ErrorCode.CorruptDisk,
  RANGE: ErrorCode.InvalidArgument,
  INVALID_ARGUMENT: ErrorCode.InvalidArgument,
  READ_ONLY: ErrorCode.InvalidState,
  CLOSED: ErrorCode.InvalidState,
  ABORTED: ErrorCode.Cancelled,
};

/**
 * A VHDX library failure on `path` as the engine reports it: a damaged file or a broken chain
 * cannot be opened; a refused argument or state says so. File-system errors (no `VhdxError`)
 * read as a file that cannot be opened, in Windows' words.
 */
export function diskError(path: string, error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  // The path is the data folder's own; host paths in the reason are reduced to names.
  const message = userMessage(error, null);
  const reason =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null;
  const code = error instanceof VhdxError ? ENGINE_CODE_OF[error.code] : ErrorCode.CorruptDisk;
  const text =
    code === ErrorCode.CorruptDisk
      ? `The virtual hard disk '${path}' cannot be opened: ${message}`
      : `The operation on the virtual hard disk '${path}' failed: ${message}`;
  return new EngineError(code, text, { path, ...(reason === null ? {} : { reason }) });
}
