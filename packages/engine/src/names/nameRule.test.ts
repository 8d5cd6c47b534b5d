import { describe, expect, it } from 'vitest';
import { forbiddenNameCharacter, nameKey, sameName } from './nameRule.js';

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Every character the rule names, one by one. */
const refused: number[] = [
  // Cc: NUL, TAB, LF, CR, ESC, DEL, C1 controls
  0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x80, 0x9f,
  // bidi controls
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
  // zero-width and other format characters
  0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff,
  // default-ignorable letters and marks: combining grapheme joiner, Hangul fillers
  0x034f, 0x115f, 0x1160, 0x3164, 0xffa0,
  // variation selectors, Mongolian free variation selectors, tags
  0xfe00, 0xfe0f, 0xe0100, 0xe01ef, 0x180b, 0x180f, 0xe0001, 0xe007f,
  // line and paragraph separators
  0x2028, 0x2029,
];

describe('the name rule', () => {
  it.each(refused.map((code) => [hex(code), code]))(
    'refuses %s anywhere in a name, and says which character and where',
    (codePoint, code) => {
      const character = String.fromCodePoint(code);
      expect(forbiddenNameCharacter(`Web${character}01`)).toEqual({ codePoint, position: 4 });
      expect(forbiddenNameCharacter(`${character}Web`)).toEqual({ codePoint, position: 1 });
      expect(forbiddenNameCharacter(`Web${character}`)).toEqual({ codePoint, position: 4 });
    },
  );

  it('refuses a lone surrogate, and counts positions in characters, not UTF-16 units', () => {
    expect(forbiddenNameCharacter('Web\uD800')).toEqual({ codePoint: 'U+D800', position: 4 });
    expect(forbiddenNameCharacter('😀\u200B')).toEqual({ codePoint: 'U+200B', position: 2 });
  });

  it.each([
    'WEB-UBUNTU-01',
    'SQL PROD (copy) #2',
    'Café Straße',
    'Сервер-1',
    '数据库服务器',
    'خادم',
    'Ｗｅｂ',
    'Before upgrade - (3/30/2023 - 3:02:28 PM)',
    '😀 test',
  ])('accepts %j', (name) => {
    expect(forbiddenNameCharacter(name)).toBeNull();
  });
});

describe('name comparison', () => {
  it.each([
    ['WEB-01', 'web-01'],
    ['Administrator', 'ADMINISTRATOR'],
    ['Administrator', 'Ａｄｍｉｎｉｓｔｒａｔｏｒ'],
    ['ＷＥＢ－０１', 'web-01'],
    ['ﬁle', 'FILE'],
    ['Straße', 'STRASSE'],
    ['ΟΔΟΣ', 'οδος'],
    ['Café', 'CAFE\u0301'],
  ])('%j and %j are the same name', (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
    expect(sameName(a, b)).toBe(true);
  });

  it.each([
    ['Administrator', 'Admin\u00ADistrator'],
    ['Administrator', 'Administrator\u0000'],
    ['Administrator', 'Admin\u200Bistrator'],
    ['WEB-01', 'WEB-02'],
    ['Cafe', 'Café'],
  ])(
    '%j and %j are different names (a look-alike with an invisible character is refused as a new name instead)',
    (a, b) => {
      expect(sameName(a, b)).toBe(false);
      expect(forbiddenNameCharacter(a)).toBeNull();
    },
  );

  it('a key is stable: the key of a key is the key', () => {
    for (const name of ['ΣΑΣ', 'İstanbul', 'Ａｄｍｉｎ', 'ǅemal', 'ß']) {
      expect(nameKey(nameKey(name))).toBe(nameKey(name));
    }
  });
});
