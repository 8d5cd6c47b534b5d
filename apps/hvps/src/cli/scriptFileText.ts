/**
 * The text of a `-File` script, decoded as powershell.exe decodes a .ps1 file: a byte order mark
 * picks the encoding and is not part of the script (about_Character_Encoding): UTF-8 (EF BB BF,
 * how Windows editors and `Out-File -Encoding UTF8` in Windows PowerShell 5.1 save a script),
 * UTF-16 LE (FF FE, `-Encoding Unicode`) and UTF-16 BE (FE FF, `-Encoding BigEndianUnicode`).
 * Without a mark the file is read as UTF-8, as PowerShell 6 and later do; Windows PowerShell 5.1
 * reads such a file in the system's ANSI code page instead (about_Character_Encoding), which
 * differs from UTF-8 only for non-ASCII characters.
 */

/** The text of a script file's bytes. */
export function decodeScriptFile(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return utf8(bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return utf16le(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return utf16le(swapByteOrder(bytes.subarray(2)));
  return utf8(bytes);
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function utf16le(bytes: Uint8Array): string {
  // An odd last byte is half a character: it is dropped, as .NET's decoder would replace it.
  const even = bytes.subarray(0, bytes.byteLength - (bytes.byteLength % 2));
  return Buffer.from(even.buffer, even.byteOffset, even.byteLength).toString('utf16le');
}

function swapByteOrder(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.byteLength - (bytes.byteLength % 2));
  for (let i = 0; i + 1 < bytes.byteLength; i += 2) {
    swapped[i] = bytes[i + 1] ?? 0;
    swapped[i + 1] = bytes[i] ?? 0;
  }
  return swapped;
}
