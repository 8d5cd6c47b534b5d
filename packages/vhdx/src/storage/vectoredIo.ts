/**
 * Vectored reads and writes over any `FileHandle`: one `readv`/`writev` of the handle where it
 * has them (one system call per contiguous file range, preadv(2)/pwritev(2)), else the handle's
 * plain calls piece by piece, so that stores and test wrappers without them keep working.
 */
import { byteLengthOf } from '../util/segments.js';
import { ON_THE_SPOT_MAX_BYTES, type FileHandle } from './fileStore.js';

/**
 * Fills `pieces` in order from `position`; returns how many bytes were read (fewer at the end of
 * the file). `onTheSpot`: a served guest's read (`OpenDiskOptions.servedToGuest`), made as a
 * system call now when the handle can (`readvNow`, else `readNow` per piece) and the pieces sum
 * to no more than `ON_THE_SPOT_MAX_BYTES`.
 */
export async function readPieces(
  handle: FileHandle,
  pieces: readonly Uint8Array[],
  position: number,
  onTheSpot: boolean,
): Promise<number> {
  const now = onTheSpot && byteLengthOf(pieces) <= ON_THE_SPOT_MAX_BYTES;
  if (now && handle.readvNow !== undefined) return handle.readvNow(pieces, position);
  if (!now && handle.readv !== undefined) return handle.readv(pieces, position);
  let done = 0;
  for (const piece of pieces) {
    const n =
      now && handle.readNow !== undefined
        ? handle.readNow(piece, position + done)
        : await handle.read(piece, position + done);
    done += n;
    if (n < piece.length) break;
  }
  return done;
}

/** Writes all of `pieces` in order from `position` (one `writev` where the handle has it). */
export async function writePieces(
  handle: FileHandle,
  pieces: readonly Uint8Array[],
  position: number,
): Promise<void> {
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only !== undefined) return handle.write(only, position);
  if (handle.writev !== undefined) return handle.writev(pieces, position);
  let at = position;
  for (const piece of pieces) {
    await handle.write(piece, at);
    at += piece.length;
  }
}
