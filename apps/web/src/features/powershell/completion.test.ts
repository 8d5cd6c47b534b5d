import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix, wordStart } from './completion';

describe('completion', () => {
  it('finds the word under the cursor after spaces, pipes and parentheses', () => {
    expect(wordStart('Get-VM X | Checkpoint-V', 23)).toBe(11);
    expect(wordStart('(Get-V', 6)).toBe(1);
    expect(wordStart('Set-VM -Check', 13)).toBe(7);
  });

  it('takes the common prefix without case, spelled as the first candidate', () => {
    expect(commonPrefix(['Get-VMSnapshot', 'Get-VMSwitch'])).toBe('Get-VMS');
    expect(commonPrefix(['-Name', '-name2'])).toBe('-Name');
    expect(commonPrefix([])).toBe('');
  });

  it('replaces the word with the one candidate, keeping what follows the cursor', () => {
    expect(applyCompletion('get-vm X', 6, ['Get-VM'])).toEqual({ line: 'Get-VM X', cursor: 6 });
    expect(applyCompletion('Set-VM -Check', 13, ['-CheckpointType'])).toEqual({
      line: 'Set-VM -CheckpointType',
      cursor: 22,
    });
  });

  it('changes nothing when there is no candidate or nothing to add', () => {
    expect(applyCompletion('Foo', 3, [])).toBeNull();
    expect(applyCompletion('Get-VMS', 7, ['Get-VMSnapshot', 'Get-VMSwitch'])).toBeNull();
  });
});
