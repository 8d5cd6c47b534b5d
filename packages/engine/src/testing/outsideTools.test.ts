import { describe, expect, it } from 'vitest';
import { missingToolsMessage, requireOutsideTools, type OutsideTool } from './outsideTools.js';

// Issue 17: engine integration tests that use outside tools fail in CI when a tool is missing,
// instead of skipping with a warning; outside CI they skip with a clear message.
describe('the outside-tool requirement of the integration tests', () => {
  const none = (_tool: OutsideTool): boolean => false;
  const all = (_tool: OutsideTool): boolean => true;

  it('in CI a missing tool fails the test, naming the tool and its package', () => {
    const skipped: string[] = [];
    expect(() =>
      requireOutsideTools(
        { skip: (note) => skipped.push(note ?? '') },
        ['qemu-img', '7zz'],
        true,
        none,
      ),
    ).toThrow('outside tool(s) not installed: qemu-img, 7zz (apt-get install qemu-utils 7zip)');
    expect(skipped).toEqual([]);
  });

  it('outside CI a missing tool skips the test with the same message', () => {
    const skipped: string[] = [];
    requireOutsideTools({ skip: (note) => skipped.push(note ?? '') }, ['vhdiinfo'], false, none);
    expect(skipped).toEqual([missingToolsMessage(['vhdiinfo'])]);
    expect(skipped[0]).toContain('libvhdi-utils');
  });

  it('with every tool there, nothing is skipped or thrown', () => {
    const skipped: string[] = [];
    requireOutsideTools({ skip: (note) => skipped.push(note ?? '') }, ['7zz'], true, all);
    expect(skipped).toEqual([]);
  });
});
