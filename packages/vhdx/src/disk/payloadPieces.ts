/**
 * A file's reads into pieces (see util/segments.ts): the vectored form of `VhdxFile.readAt`, for
 * a guest request that arrives as many pieces of its memory.
 */
import { readPieces } from '../storage/vectoredIo.js';
import type { VhdxFile } from './vhdxFile.js';

/**
 * Fills `pieces` in order from `pos` of `file` with one vectored call (`readPieces`), as
 * `readAt` fills one buffer: bytes past the file's end read as zeros, and a replayed log's
 * changes not yet written in place (a read-only open's overlay, MS-VHDX 2.3.3) are laid over.
 */
export async function readPiecesAt(
  file: VhdxFile,
  pieces: readonly Uint8Array[],
  pos: number,
  onTheSpot: boolean,
): Promise<void> {
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only !== undefined) return file.readAt(only, pos, onTheSpot);
  const end = pos + (await readPieces(file.handle, pieces, pos, onTheSpot));
  const overlay = file.pages.overlay;
  let at = pos;
  for (const piece of pieces) {
    if (at + piece.length > end) piece.fill(0, Math.max(0, end - at));
    overlay?.apply(piece, at);
    at += piece.length;
  }
}
