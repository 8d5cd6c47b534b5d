/**
 * Conformance of Get-VM's Heartbeat and Get-VMIntegrationService's status: a guest that does not
 * answer (no integration services, no operating system) shows "No Contact", never "OK".
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Get-VM: a running guest with integration services answers with OkApplicationsUnknown',
    source:
      'MicrosoftDocs/windowsserverdocs#5313 ((Get-VM).Heartbeat of a running Windows guest: OkApplicationsUnknown)',
    script: '(Get-VM Web-01).Heartbeat',
    output: lines('OkApplicationsUnknown'),
  },
  {
    name: 'Get-VM: a running guest without integration services has Heartbeat NoContact',
    source: 'behaviour spec R34; VMHeartbeatStatus enum (Hyper-V module type stub: NoContact = 2)',
    script: `New-VM -Name Nt4 -GuestImage legacy-no-integration | Out-Null
Start-VM Nt4
(Get-VM Nt4).Heartbeat`,
    output: lines('NoContact'),
  },
  {
    name: 'Get-VM: a running VM with a blank disk (no operating system) has Heartbeat NoContact',
    source:
      'behaviour spec R34; microsoft/lis-test#1104 ("No Contact" while the guest has not booted)',
    script: `New-VM -Name Blank | Out-Null
Start-VM Blank
(Get-VM Blank).Heartbeat`,
    output: lines('NoContact'),
  },
  {
    name: 'Get-VMIntegrationService: every enabled service of a guest without integration services is "No Contact"',
    source:
      'behaviour spec R34; Get-VMIntegrationService columns as in centreon/centreon-plugins#4603 (PrimaryStatusDescription)',
    script: `New-VM -Name Nt4 -GuestImage legacy-no-integration | Out-Null
Start-VM Nt4
Get-VMIntegrationService -VMName Nt4 | Where-Object Enabled | ForEach-Object { "$($_.Name): $($_.PrimaryStatusDescription)" }`,
    output: lines(
      'Heartbeat: No Contact',
      'Key-Value Pair Exchange: No Contact',
      'Shutdown: No Contact',
      'Time Synchronization: No Contact',
      'VSS: No Contact',
    ),
  },
  {
    name: 'Get-VMIntegrationService: a running guest with integration services reads "OK"',
    source:
      'centreon/centreon-plugins#4603 (Get-VMIntegrationService of a running guest: PrimaryStatusDescription OK)',
    script: '(Get-VMIntegrationService -VMName Web-01 -Name Heartbeat).PrimaryStatusDescription',
    output: lines('OK'),
  },
];

conformanceSuite('Hyper-V conformance: heartbeat and integration services', cases);
