/**
 * Files: scripts that write reports and read them back (Out-File, `>`/`>>`, `2>`, `*>`,
 * Tee-Object -FilePath, Export-Csv / Import-Csv, Get-/Set-/Add-Content, Test-Path, Remove-Item,
 * Get-ChildItem, Get-/Set-Location, Join-Path, Split-Path), each case in a fresh confined folder
 * (the server's drive `Files:\`, files/nodeFileSystem.ts). Messages are PowerShell's resource
 * strings (SessionStateStrings.PathNotFound / DriveNotFound, PathUtilsStrings
 * .UtilityFileExistsNoClobber, CsvCommandStrings.CannotAppendCsvWithMismatchedPropertyNames,
 * FileSystemProviderStrings.RemoveItemActionFile); the layout of records is the console's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PowerShellResult } from '../index.js';
import { confinedFileSystem } from '../index.js';
import type { ConformanceCase } from './harness.js';
import { lines, runConformance } from './harness.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ps-files-conformance-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function runWithFiles(script: string): Promise<PowerShellResult> {
  return runConformance(script, { fileSystem: confinedFileSystem(join(root, 'user')) });
}

const cases: ConformanceCase[] = [
  {
    name: "a function's output redirected to a file goes to the file only, not to the console",
    source: 'about_Redirection (> sends the success stream of the command to the file)',
    script: `function Get-Report { 'first'; 'second' }\nGet-Report > report.txt\n'console'\nGet-Content report.txt`,
    output: lines('console', 'first', 'second'),
  },
  {
    name: '> writes the output as the console shows it, >> appends, Get-Content reads it back',
    source: 'about_Redirection (> and >> send output to a file, as Out-File)',
    script: `'one', 'two' > report.txt\n'three' >> report.txt\nGet-Content report.txt`,
    output: lines('one', 'two', 'three'),
  },
  {
    name: 'Out-File writes the formatted table; Get-Content -TotalCount / -Tail / -Raw',
    source: 'Out-File and Get-Content reference pages (Windows PowerShell 5.1)',
    script: [
      'Get-VM | Select-Object Name, State | Out-File vms.txt',
      'Get-Content vms.txt -TotalCount 3',
      "'--'",
      'Get-Content vms.txt -Tail 4',
      '(Get-Content vms.txt -Raw).Length',
    ].join('\n'),
    output: lines(
      '',
      'Name   State',
      '----   -----',
      '--',
      '----   -----',
      'Db-01  Off',
      'Web-01 Running',
      '',
      // Every line ends with CRLF in the file: 2 + 14 + 14 + 12 + 16 + 2 characters.
      '60',
    ),
  },
  {
    name: 'Out-File -NoClobber refuses an existing file',
    source:
      'PathUtilsStrings.UtilityFileExistsNoClobber with "NoClobber", errorId NoClobber, ResourceExists (PathUtils.cs)',
    script: `'a' | Out-File f.txt\n'b' | Out-File f.txt -NoClobber\nGet-Content f.txt`,
    output: lines(
      'Out-File : File Files:\\f.txt already exists and NoClobber was specified.',
      'At line:2 char:7',
      "+ 'b' | Out-File f.txt -NoClobber",
      '+       ~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ResourceExists: (Files:\\f.txt:String) [Out-File], IOException',
      '    + FullyQualifiedErrorId : NoClobber,Microsoft.PowerShell.Commands.OutFileCommand',
      'a',
    ),
    exitCode: 0,
    note: 'the text is the resource string of PowerShell/PowerShell; a 5.1 transcript of it was not found',
  },
  {
    name: 'Get-Content of a missing file is PathNotFound with the full path, and the script goes on',
    source: 'SessionStateStrings.PathNotFound',
    script: `Get-Content nope.txt\n'after'`,
    output: lines(
      "Get-Content : Cannot find path 'Files:\\nope.txt' because it does not exist.",
      'At line:1 char:1',
      '+ Get-Content nope.txt',
      '+ ~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (Files:\\nope.txt:String) [Get-Content], ItemNotFoundException',
      '    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand',
      'after',
    ),
  },
  {
    name: 'escapes stay inside the folder: .. stops at Files:\\, / is its root, C: does not exist',
    source: 'about_Paths; SessionStateStrings.PathNotFound and DriveNotFound',
    script: `Get-Content ..\\..\\etc\\passwd -ErrorAction SilentlyContinue\n$Error[0].Exception.Message\nGet-Content /etc/passwd -ea SilentlyContinue\n$Error[0].Exception.Message\nGet-Content C:\\Windows\\win.ini -ea SilentlyContinue\n$Error[0].Exception.Message\nSet-Location ..\\..\n$PWD.Path`,
    output: lines(
      "Cannot find path 'Files:\\etc\\passwd' because it does not exist.",
      "Cannot find path 'Files:\\etc\\passwd' because it does not exist.",
      "Cannot find drive. A drive with the name 'C' does not exist.",
      'Files:\\',
    ),
  },
  {
    name: 'Windows device names and NUL are refused',
    source:
      'Naming Files, Paths, and Namespaces (learn.microsoft.com); .NET "Illegal characters in path."',
    script:
      "Set-Content CON 'x' -ea SilentlyContinue\n$Error[0].FullyQualifiedErrorId\nSet-Content \"a`0b\" 'x' -ea SilentlyContinue\n$Error[0].Exception.Message\n(Get-ChildItem).Count",
    output: lines(
      'InvalidFileName,Microsoft.PowerShell.Commands.SetContentCommand',
      'Illegal characters in path.',
      '0',
    ),
    note: 'InvalidFileName is this product’s record (Windows would open the device)',
  },
  {
    name: 'Export-Csv writes the #TYPE line of 5.1; -NoTypeInformation; Import-Csv reads strings back',
    source: 'Export-Csv / Import-Csv reference pages (Windows PowerShell 5.1)',
    script: [
      "[pscustomobject]@{Name='Web-01'; MemoryMB=512} | Export-Csv r.csv",
      'Get-Content r.csv',
      'Get-VM | Select-Object Name, State | Export-Csv vms.csv -NoTypeInformation',
      'Get-Content vms.csv',
      '$rows = Import-Csv vms.csv',
      '$rows[1].State; $rows[1].State.GetType().Name',
    ].join('\n'),
    output: lines(
      '#TYPE System.Management.Automation.PSCustomObject',
      '"Name","MemoryMB"',
      '"Web-01","512"',
      '"Name","State"',
      '"Db-01","Off"',
      '"Web-01","Running"',
      'Running',
      'String',
    ),
  },
  {
    name: 'Export-Csv -Append adds rows under the header; a missing column ends the statement unless -Force',
    source:
      'Export-Csv reference (-Append, -Force); CsvCommandStrings.CannotAppendCsvWithMismatchedPropertyNames',
    script: [
      "[pscustomobject]@{Name='a'; Size=1} | Export-Csv log.csv -NoTypeInformation",
      "[pscustomobject]@{Name='b'; Size=2} | Export-Csv log.csv -Append",
      "try { [pscustomobject]@{Name='c'} | Export-Csv log.csv -Append } catch { $_.Exception.Message }",
      "[pscustomobject]@{Name='c'} | Export-Csv log.csv -Append -Force",
      'Get-Content log.csv',
    ].join('\n'),
    output: lines(
      'Cannot append CSV content to the following file: Files:\\log.csv. The appended object does not have a property that corresponds to the following column: Size. To continue with mismatched properties, add the -Force parameter, and then retry the command.',
      '"Name","Size"',
      '"a","1"',
      '"b","2"',
      '"c",',
    ),
    exitCode: 0,
  },
  {
    name: 'Set-Content, Add-Content, -NoNewline',
    source: 'Set-Content / Add-Content reference pages',
    script: `Set-Content log.txt 'first'\nAdd-Content log.txt 'second', 'third'\nAdd-Content log.txt 'x' -NoNewline\nAdd-Content log.txt 'y' -NoNewline\nGet-Content log.txt`,
    output: lines('first', 'second', 'third', 'xy'),
  },
  {
    name: '2> and *> send records to a file as the console shows them',
    source: 'about_Redirection (2>, *>)',
    script: `Write-Warning 'low disk' 3> warn.txt\nGet-Content warn.txt\n& { 'out'; Write-Warning 'w' } *> all.txt\nGet-Content all.txt`,
    output: lines('WARNING: low disk', 'WARNING: w', 'out'),
    note: 'commands run stage by stage, so a stage’s records come before its output in the file',
  },
  {
    name: 'Tee-Object -FilePath passes its input on and writes it',
    source: 'Tee-Object reference page',
    script: `'a', 'b' | Tee-Object -FilePath t.txt | ForEach-Object { $_.ToUpper() }\nGet-Content t.txt`,
    output: lines('A', 'B', 'a', 'b'),
  },
  {
    name: 'Test-Path, Remove-Item -WhatIf, Remove-Item, and a missing item',
    source: 'Test-Path / Remove-Item reference; FileSystemProviderStrings.RemoveItemActionFile',
    script: [
      "'x' > a.txt",
      'Test-Path a.txt, b.txt',
      'Test-Path . -PathType Container',
      'Remove-Item a.txt -WhatIf',
      'Remove-Item a.txt',
      'Test-Path a.txt',
      'Remove-Item a.txt -ea SilentlyContinue',
      '$Error[0].FullyQualifiedErrorId',
    ].join('\n'),
    output: lines(
      'True',
      'False',
      'True',
      'What if: Performing the operation "Remove File" on target "Files:\\a.txt".',
      'False',
      'PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand',
    ),
  },
  {
    name: 'Get-Location, Set-Location to a missing folder, Join-Path and Split-Path',
    source: 'Get-Location / Set-Location / Join-Path / Split-Path reference pages',
    script: `Get-Location\nSet-Location reports -ea SilentlyContinue\n$Error[0].Exception.Message\nJoin-Path $PWD 'may.csv'\nSplit-Path 'Files:\\reports\\may.csv' -Leaf\nSplit-Path 'Files:\\reports\\may.csv'\n"$PWD"`,
    output: lines(
      '',
      'Path',
      '----',
      'Files:\\',
      '',
      "Cannot find path 'Files:\\reports' because it does not exist.",
      'Files:\\may.csv',
      'may.csv',
      'Files:\\reports',
      'Files:\\',
    ),
  },
];

describe('files (conformance)', () => {
  for (const c of cases) {
    test(`${c.name} (${c.source})`, async () => {
      const result = await runWithFiles(c.script);
      if (typeof c.output === 'function') c.output(result);
      else expect(result.output).toBe(c.output);
      expect(result.exitCode).toBe(c.exitCode ?? 0);
    });
  }

  test('Get-ChildItem shows Mode, LastWriteTime, Length and Name under the folder, as 5.1 does (FileSystem.format.ps1xml)', async () => {
    const result = await runWithFiles(`'hello' > a.txt\nGet-ChildItem`);
    const text = result.output.split('\n');
    expect(text.slice(0, 5)).toEqual([
      '',
      '    Directory: Files:\\',
      '',
      '',
      'Mode                LastWriteTime         Length Name',
    ]);
    expect(text[5]).toBe('----                -------------         ------ ----');
    // -a----, LastWriteTime right-aligned in 25 (the date in 10, the time in 8), the length
    // (BOM + 2 x 7) in 14: `-a----        5/14/2019   1:36 PM             20 test.txt` in 5.1.
    expect(text[6]).toMatch(/^-a---- {7}[ \d/]{10} {2}[ \d:]{5} [AP]M {13}16 a\.txt$/);
  });

  test('Out-File and > write UTF-16LE with a byte-order mark and CRLF (5.1 default); -Encoding UTF8 writes its mark; Set-Content writes ANSI', async () => {
    await runWithFiles(
      "'é' > u.txt\n'é' | Out-File -Encoding UTF8 u8.txt\nSet-Content a.txt 'é'\nGet-VM | Export-Csv c.csv -NoTypeInformation",
    );
    const read = (name: string): Promise<Buffer> => readFile(join(root, 'user', name));
    expect([...(await read('u.txt'))]).toEqual([0xff, 0xfe, 0xe9, 0, 0x0d, 0, 0x0a, 0]);
    expect([...(await read('u8.txt'))]).toEqual([0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0x0d, 0x0a]);
    expect([...(await read('a.txt'))]).toEqual([0xe9, 0x0d, 0x0a]);
    expect((await read('c.csv')).toString('latin1').startsWith('"Name","State",')).toBe(true);
  });

  test('the result names the location the script ended in (for a PS <location>> prompt)', async () => {
    expect((await runWithFiles("'x' > a.txt")).location).toBe('Files:\\');
    expect((await runConformance("'x'")).location).toBeUndefined();
  });

  test('Out-File -Width narrows the table it writes', async () => {
    const result = await runWithFiles(
      'Get-VM | Out-File wide.txt\nGet-VM | Out-File narrow.txt -Width 40\n(Get-Content wide.txt | Measure-Object -Property Length -Maximum).Maximum -gt 40\n(Get-Content narrow.txt | Measure-Object -Property Length -Maximum).Maximum -le 40',
    );
    expect(result.output).toBe(lines('True', 'True'));
  });
});
