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

/**
 * Views of the bytes `[start, end)` of the range `pieces` make, in order; empty pieces are left
 * out. Pieces wholly inside are given as they are and only the two at the ends are cut (a
 * `subarray` costs as much as a small copy: a request of 256 pieces goes through several layers
 * of a chain, each asking for its part).
 */
export function piecesBetween(
  pieces: readonly Uint8Array[],
  start: number,
  end: number,
): readonly Uint8Array[] {
  if (start === 0 && end >= byteLengthOf(pieces)) return pieces;
  const out: Uint8Array[] = [];
  let at = 0;
  for (const piece of pieces) {
    const next = at + piece.length;
    if (Math.min(next, end) > Math.max(at, start)) {
      const whole = at >= start && next <= end;
      out.push(
        whole ? piece : piece.subarray(Math.max(0, start - at), Math.min(piece.length, end - at)),
      );
    }
    if (next >= end) break;
    at = next;
  }
  return out;
}

/** Views of what is left of `pieces` once their first `count` bytes are done (a short vectored call). */
export function piecesAfter(pieces: readonly Uint8Array[], count: number): readonly Uint8Array[] {
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
