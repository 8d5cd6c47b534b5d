import { expect, test } from 'vitest';
import { callMethod } from './methods.js';

test('a method on $null is InvokeMethodOnNull, even ToString()', () => {
  for (const name of ['Start', 'ToString']) {
    expect(() => callMethod(null, name, [])).toThrow(
      expect.objectContaining({
        message: 'You cannot call a method on a null-valued expression.',
        errorId: 'InvokeMethodOnNull',
      }),
    );
  }
});
