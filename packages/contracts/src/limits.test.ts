import { describe, expect, it } from 'vitest';
import { AUTOMATIC_START_DELAY_MAX_SECONDS, isValidAutomaticStartDelay } from './limits.js';

describe('automatic start delay', () => {
  it('accepts whole seconds from 0 to a day', () => {
    expect(AUTOMATIC_START_DELAY_MAX_SECONDS).toBe(86_400);
    expect([0, 1, 86_400].every(isValidAutomaticStartDelay)).toBe(true);
    expect([-1, 0.5, 86_401, Number.NaN].some(isValidAutomaticStartDelay)).toBe(false);
  });
});
