import { describe, expect, it } from 'vitest';
import { byteLengthOf, gatherPieces, piecesAfter, piecesBetween } from './segments.js';

describe('pieces of a request (segments)', () => {
  const pieces = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6, 7, 8, 9])];

  it('cut a range out as views: the pieces inside as they are, the ends cut, nothing copied', () => {
    const middle = piecesBetween(pieces, 2, 7);
    expect(middle.map((p) => [...p])).toEqual([[3], [4, 5], [6, 7]]);
    expect(middle[1]).toBe(pieces[1]);
    middle[0]?.fill(0);
    expect(pieces[0]?.[2]).toBe(0);
    expect(piecesBetween(pieces, 0, 9)).toBe(pieces);
    expect(piecesBetween(pieces, 3, 5)).toEqual([pieces[1]]);
    expect(piecesBetween(pieces, 4, 4)).toEqual([]);
  });

  it('leave out what a short call did, and gather into one buffer when they must', () => {
    expect(byteLengthOf(pieces)).toBe(9);
    expect(piecesAfter(pieces, 4).map((p) => [...p])).toEqual([[5], [6, 7, 8, 9]]);
    expect(piecesAfter(pieces, 9)).toEqual([]);
    expect([...gatherPieces(pieces)]).toEqual([1, 2, 0, 4, 5, 6, 7, 8, 9]);
  });
});
