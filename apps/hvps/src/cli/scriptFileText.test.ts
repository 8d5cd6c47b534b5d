import { describe, expect, it } from 'vitest';
import { decodeScriptFile } from './scriptFileText.js';

const script = "Get-VM -Name 'Web Server' # Grüße\r\n";

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

describe('decodeScriptFile', () => {
  it('drops a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(script, 'utf8')]);
    expect(decodeScriptFile(bytes)).toBe(script);
  });

  it('reads UTF-16 LE and BE with their byte order marks', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(script)]);
    expect(decodeScriptFile(le)).toBe(script);
    expect(decodeScriptFile(be)).toBe(script);
  });

  it('reads a file without a mark as UTF-8, and an empty file as empty', () => {
    expect(decodeScriptFile(Buffer.from(script, 'utf8'))).toBe(script);
    expect(decodeScriptFile(new Uint8Array())).toBe('');
  });
});
