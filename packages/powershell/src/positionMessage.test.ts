import { describe, expect, test } from 'vitest';
import { positionLines } from './positionMessage.js';

const at = (script: string, part: string, occurrence = 0): { start: number; end: number } => {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = script.indexOf(part, start + 1);
  return { start, end: start + part.length };
};

describe('the position of an error record (PositionUtilities.VerboseMessage)', () => {
  test('a short line is shown whole with the failing part underlined', () => {
    const script = 'Get-VM -Nme x';
    expect(positionLines(script, at(script, '-Nme'))).toEqual([
      'At line:1 char:8',
      '+ Get-VM -Nme x',
      '+        ~~~~',
    ]);
  });

  test('a line over 69 characters is cut around the failing part, as a 5.1 transcript shows', () => {
    // The line of the Hyper-V-Backup-Utility#12 transcript, with the text before it restored.
    const script =
      '.\\Hyper-V-Backup.ps1 -BackupTo M:\\HyperV_VHD\\Genera-Win10Pro1 -List D:\\scripts\\vms.txt -Wd D:\\temp -Keep 30';
    expect(positionLines(script, at(script, 'D:\\scripts\\vms.txt'))).toEqual([
      'At line:1 char:69',
      '+ ... kupTo M:\\HyperV_VHD\\Genera-Win10Pro1 -List D:\\scripts\\vms.txt -Wd D:\\ ...',
      `+ ${' '.repeat(47)}${'~'.repeat(18)}`,
    ]);
  });

  test('an extent over several lines is underlined to the end of its first line', () => {
    const script = 'Get-VM -Name NoSuch `\n  -ErrorAction Continue';
    expect(positionLines(script, { start: 0, end: script.length })).toEqual([
      'At line:1 char:1',
      '+ Get-VM -Name NoSuch `',
      '+ ~~~~~~~~~~~~~~~~~~~~~',
    ]);
  });

  test('tabs count as four spaces', () => {
    const script = '\tGet-VM -Nme x';
    expect(positionLines(script, at(script, '-Nme'))).toEqual([
      'At line:1 char:9',
      '+     Get-VM -Nme x',
      '+            ~~~~',
    ]);
  });
});
