/**
 * Conformance of Get-WinEvent over the Hyper-V-VMMS Admin log, and of Export-VM. The event texts
 * and ids are the engine's (src/eventLog/eventCatalog.ts in @hvm/engine: Microsoft does not publish
 * the catalogue); the cmdlets' shapes, views and errors name their sources.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Get-WinEvent -LogName ... -MaxEvents: the newest events, grouped by provider',
    source:
      'Get-WinEvent reference (-LogName, -MaxEvents); the Event view of Windows PowerShell 5.1',
    script: 'Get-WinEvent -LogName Microsoft-Windows-Hyper-V-VMMS-Admin -MaxEvents 2',
    output: lines(
      '',
      '   ProviderName: Microsoft-Windows-Hyper-V-VMMS',
      '',
      'TimeCreated            Id LevelDisplayName Message',
      '-----------            -- ---------------- -------',
      "3/5/2024 2:07:09 PM 13002 Information      A new virtual machine 'Db-01' was created. (Virtual machine ID 00000000-00...",
      "3/5/2024 2:07:09 PM 18500 Information      'Web-01' started successfully. (Virtual machine ID 00000000-0000-4000-8000...",
      '',
    ),
    note: "PowerShell's Event view has fixed column widths; this console sizes tables to their content.",
  },
  {
    name: "Get-WinEvent -Oldest, and Event Viewer's name of the channel",
    source: 'Get-WinEvent reference (-Oldest; log names as Event Viewer shows them)',
    script: '(Get-WinEvent Microsoft-Windows-Hyper-V-VMMS/Admin -Oldest -MaxEvents 1).Id',
    output: lines('13002'),
  },
  {
    name: 'Get-WinEvent: a log this computer does not have',
    source: 'GetEventResources NoMatchingLogsFound, as scripts quote it',
    script: 'Get-WinEvent -LogName Nope',
    output: lines(
      'Get-WinEvent : There is not an event log on the localhost computer that matches "Nope".',
      'At line:1 char:1',
      '+ Get-WinEvent -LogName Nope',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (Nope:String) [Get-WinEvent], Exception',
      '    + FullyQualifiedErrorId : NoMatchingLogsFound,Microsoft.PowerShell.Commands.GetWinEventCommand',
    ),
    exitCode: 1,
    note: 'The CategoryInfo is our reading; the message and error id are quoted by scripts that handle it.',
  },
  {
    name: 'Export-VM: the VM as it is now, then the log says so; a second export into the same folder is refused',
    source: 'Export-VM reference ([-Name] <String[]> [-Path] <String>, -Passthru)',
    script: `Export-VM Db-01 -Path Exports -Passthru | Select-Object Name
(Get-WinEvent Microsoft-Windows-Hyper-V-VMMS-Admin -MaxEvents 1).Message
Export-VM -Name Db-01 -Path Exports -ErrorAction SilentlyContinue
$?`,
    output: lines(
      '',
      'Name',
      '----',
      'Db-01',
      '',
      "'Db-01' was exported successfully. (Virtual machine ID 00000000-0000-4000-8000-000000000004)",
      'False',
    ),
  },
  {
    name: 'Export-VM: -Path is mandatory',
    source: 'Export-VM reference (-Path: Required True); behaviour spec R27',
    script: 'Export-VM Db-01',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Cannot process command because of one or more missing mandatory parameters: Path.',
      );
    },
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V cmdlets: event log and export', cases);
