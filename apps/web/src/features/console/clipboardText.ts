/**
 * Clipboard > Type clipboard text of Virtual Machine Connection: the clipboard's text typed into
 * the guest as keystrokes (here into its serial console). What Hyper-V does with characters that
 * have no key, and how much it types at once, is not in the sources found (behaviour spec S24
 * lists only the Clipboard menu's screen capture), so the rules below are this product's own.
 */
import { MAX_WAITING_CHARACTERS } from '../../api/serialConsole';

/**
 * The most characters typed at once. At most 4 bytes of UTF-8 each, that is 64 KiB: what the
 * server lets wait for a guest that is not reading (apps/server/README.md, the serial console's
 * bounds), and no more than what the window lets wait to be sent.
 */
export const MAX_CLIPBOARD_CHARACTERS = Math.min(16 * 1024, MAX_WAITING_CHARACTERS);

export type ClipboardKeystrokes = { keys: string } | { refusal: string };

/**
 * C0 controls but tab (U+0009) and line feed (U+000A), carriage return aside (it ends a line with
 * or without a line feed); DEL; and the C1 controls.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const REFUSED_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

function describe(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The keys that type `text`: each line break (CRLF, CR or LF) is the Enter key (a carriage
 * return, what a terminal sends for Enter), a tab the Tab key, every other character itself.
 *
 * Other control characters are refused, not typed: a clipboard can hold ones that do not show
 * where the text was copied (an escape sequence, Ctrl+C, Ctrl+D, Ctrl+Z, backspace, the end of a
 * bracketed paste), and a terminal or shell acts on each as a command, so text that looks
 * harmless would run something else in the guest. Newline and tab are the only control
 * characters that plain text means to type. Text longer than MAX_CLIPBOARD_CHARACTERS is refused
 * whole rather than cut, so half a command never runs.
 */
export function clipboardKeystrokes(text: string): ClipboardKeystrokes {
  if (text === '') return { refusal: 'The clipboard holds no text to type.' };
  const length = [...text].length;
  if (length > MAX_CLIPBOARD_CHARACTERS) {
    return {
      refusal: `The clipboard holds ${length} characters; at most ${MAX_CLIPBOARD_CHARACTERS} can be typed at once.`,
    };
  }
  const control = REFUSED_CONTROL.exec(text);
  if (control !== null) {
    return {
      refusal: `The clipboard text holds a control character (${describe(control[0])}) that would act as a command in the guest; only text, line breaks and tabs can be typed.`,
    };
  }
  return { keys: text.replace(/\r\n|\r|\n/g, '\r') };
}
