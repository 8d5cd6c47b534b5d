/**
 * A request's bytes as a list of pieces (segments) read or written in order as one range: a
 * guest's request arrives as many pieces of its memory (a vhost-user-blk back end's descriptors),
 * and its I/O goes straight between them and the disk files with vectored system calls
 * (preadv(2)/pwritev(2)) instead of through one gathered copy. Every helper here makes views
 * (`subarray`), never copies.
 */

/** The summed length of `pieces`. */
export function byteLengthOf(pieces: readonly Uint8Array[]): number {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  return total;
}

/** Views of the bytes `[start, end)` of the range `pieces` make, in order; empty pieces are left out. */
export function piecesBetween(
  pieces: readonly Uint8Array[],
  start: number,
  end: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const piece of pieces) {
    const next = at + piece.length;
    if (next > start && at < end) {
      out.push(piece.subarray(Math.max(0, start - at), Math.min(piece.length, end - at)));
    }
    if (next >= end) break;
    at = next;
  }
  return out;
}

/** Views of what is left of `pieces` once their first `count` bytes are done (a short vectored call). */
export function piecesAfter(pieces: readonly Uint8Array[], count: number): Uint8Array[] {
  return piecesBetween(pieces, count, byteLengthOf(pieces));
}

/** Fills every piece with `value`. */
export function fillPieces(pieces: readonly Uint8Array[], value: number): void {
  for (const piece of pieces) piece.fill(value);
}

/** The pieces' bytes in one new buffer (for the rare request that must be seen whole). */
export function gatherPieces(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(byteLengthOf(pieces));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
