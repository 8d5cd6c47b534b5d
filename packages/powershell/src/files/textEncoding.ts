/**
 * Text in files as Windows PowerShell 5.1 writes and reads it (about_Character_Encoding, "Character
 * encoding in Windows PowerShell"; the -Encoding values of Out-File, Set-Content and Export-Csv):
 * `Unicode` is UTF-16LE, `BigEndianUnicode` UTF-16BE, `UTF8` and `UTF32` (little-endian) — every
 * Unicode encoding but UTF-7 is written with its byte-order mark in 5.1; `ASCII` is 7-bit (other
 * characters become `?`); `Default` is the system's ANSI code page, Windows-1252 on an en-US
 * Windows (what this shell mirrors); `OEM` is taken as ASCII here (the OEM code page 437 is not
 * carried; our simplification). `String` and `Unknown` are Unicode for Out-File (the 5.1
 * reference). UTF-7 is not offered (our record says so).
 *
 * Reading (Get-Content, Import-Csv) follows the byte-order mark when there is one, as .NET's
 * StreamReader does; without one, 5.1 reads the ANSI code page (Windows-1252). Lines end with CRLF,
 * as on Windows, and are read back at CRLF, LF or CR.
 */
import { PsError } from '../errors.js';

export const encodingNames = [
  'Unknown',
  'String',
  'Unicode',
  'BigEndianUnicode',
  'UTF8',
  'UTF7',
  'UTF32',
  'ASCII',
  'Default',
  'OEM',
] as const;
export type EncodingName = (typeof encodingNames)[number];

/** Windows-1252's characters for bytes 0x80-0x9F (the rest of the page is Latin-1). */
const windows1252High = new TextDecoder('windows-1252').decode(
  Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i),
);

function ansiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    const high = windows1252High.indexOf(ch);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out[n++] = code;
    else if (high !== -1) out[n++] = 0x80 + high;
    else out[n++] = 0x3f;
  }
  return out.slice(0, n);
}

function asciiBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    out.push(code < 0x80 ? code : 0x3f);
  }
  return Uint8Array.from(out);
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, !bigEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), !bigEndian);
  return out;
}

function utf32(text: string): Uint8Array {
  const codes = [0xfeff, ...Array.from(text, (ch) => ch.codePointAt(0) ?? 0)];
  const out = new Uint8Array(codes.length * 4);
  const view = new DataView(out.buffer);
  codes.forEach((code, i) => view.setUint32(i * 4, code, true));
  return out;
}

/** The canonical -Encoding name, or undefined when the value is not one of 5.1's. */
export function encodingOf(value: unknown): EncodingName | undefined {
  if (typeof value !== 'string') return undefined;
  return encodingNames.find((n) => n.toLowerCase() === value.toLowerCase());
}

/** The bytes of `text` in `encoding`; `withMark` false when appending to an existing file. */
export function encodeText(text: string, encoding: EncodingName, withMark = true): Uint8Array {
  let bytes: Uint8Array;
  let mark = 0;
  switch (encoding) {
    case 'Unknown':
    case 'String':
    case 'Unicode':
      bytes = utf16(text, false);
      mark = 2;
      break;
    case 'BigEndianUnicode':
      bytes = utf16(text, true);
      mark = 2;
      break;
    case 'UTF8': {
      const body = new TextEncoder().encode(text);
      bytes = new Uint8Array(3 + body.length);
      bytes.set([0xef, 0xbb, 0xbf]);
      bytes.set(body, 3);
      mark = 3;
      break;
    }
    case 'UTF32':
      bytes = utf32(text);
      mark = 4;
      break;
    case 'ASCII':
    case 'OEM':
      bytes = asciiBytes(text);
      break;
    case 'Default':
      bytes = ansiBytes(text);
      break;
    case 'UTF7':
      throw new PsError(
        'The UTF7 encoding is not available in this shell; use UTF8 or Unicode (a limit of this product, not a PowerShell error).',
        {
          category: 'NotImplemented',
          errorId: 'EncodingNotSupported',
          exceptionType: 'NotSupportedException',
          reach: 'statement',
        },
      );
  }
  return withMark ? bytes : bytes.slice(mark);
}

/** A file's text, by its byte-order mark or else as Windows-1252 (5.1's Default). */
export function decodeText(bytes: Uint8Array): string {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) {
    let text = '';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 4; i + 3 < bytes.length; i += 4)
      text += String.fromCodePoint(Math.min(view.getUint32(i, true), 0x10ffff));
    return text;
  }
  if (a === 0xff && b === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('windows-1252').decode(bytes);
}

/** The encoding a file already has (for appending without a second byte-order mark). */
export function markedEncoding(bytes: Uint8Array): EncodingName | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'UTF8';
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF32';
  if (a === 0xff && b === 0xfe) return 'Unicode';
  if (a === 0xfe && b === 0xff) return 'BigEndianUnicode';
  return null;
}

/** The lines of a file's text: split at CRLF, LF or CR; a final line end adds no empty line. */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Console text (LF line ends) as a Windows text file writes it (CRLF). */
export function windowsLineEnds(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
