import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A property sheet (a checkpoint's Settings..., a disk's properties) wraps its values between
 * words: "Memory and device state included" must not break as "Memory and dev / ice state". Only a
 * word longer than the line (a disk path) may break inside. jsdom lays nothing out, so the rule
 * itself is read.
 */
describe('property sheet values', () => {
  it('wrap between words, not inside them', () => {
    const css = readFileSync(resolve(__dirname, 'dialog.css'), 'utf8');
    const rule = /\.properties dd \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).not.toMatch(/word-break:\s*break-all/);
    expect(rule).toMatch(/overflow-wrap:\s*anywhere/);
  });
});
