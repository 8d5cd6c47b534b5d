import { describe, expect, it } from 'vitest';
import { clipboardKeystrokes, MAX_CLIPBOARD_CHARACTERS } from './clipboardText';

describe('Type clipboard text: the keys typed for the clipboard text', () => {
  it('types text as it is, each line break as Enter and each tab as Tab', () => {
    expect(clipboardKeystrokes('cd /data\r\nls\t-l\nuname ✓\r')).toEqual({
      keys: 'cd /data\rls\t-l\runame ✓\r',
    });
  });

  it.each([
    ['an escape sequence', 'echo hi\u001b[201~; reboot', 'U+001B'],
    ['Ctrl+C', 'ls\u0003', 'U+0003'],
    ['Ctrl+D', '\u0004', 'U+0004'],
    ['a backspace', 'rm -rf /tmp/x\u0008\u0008\u0008', 'U+0008'],
    ['DEL', 'a\u007f', 'U+007F'],
    ['a C1 control (CSI)', 'a\u009b2J', 'U+009B'],
  ])('refuses text holding %s, a control character a terminal acts on', (_, text, code) => {
    const typed = clipboardKeystrokes(text);
    expect(typed).toEqual({
      refusal: `The clipboard text holds a control character (${code}) that would act as a command in the guest; only text, line breaks and tabs can be typed.`,
    });
  });

  it('refuses more text than can be typed at once, whole rather than cut', () => {
    expect(clipboardKeystrokes('x'.repeat(MAX_CLIPBOARD_CHARACTERS))).toEqual({
      keys: 'x'.repeat(MAX_CLIPBOARD_CHARACTERS),
    });
    expect(clipboardKeystrokes('x'.repeat(MAX_CLIPBOARD_CHARACTERS + 1))).toEqual({
      refusal: `The clipboard holds ${MAX_CLIPBOARD_CHARACTERS + 1} characters; at most ${MAX_CLIPBOARD_CHARACTERS} can be typed at once.`,
    });
    // Characters, not UTF-16 units: an emoji counts once.
    expect(clipboardKeystrokes('😀'.repeat(MAX_CLIPBOARD_CHARACTERS))).toHaveProperty('keys');
  });

  it('says when the clipboard holds no text', () => {
    expect(clipboardKeystrokes('')).toEqual({ refusal: 'The clipboard holds no text to type.' });
  });
});
