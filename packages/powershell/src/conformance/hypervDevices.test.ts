/**
 * Conformance of the Hyper-V device cmdlets: network adapter and switch, DVD drive, firmware.
 * Their table views are our reading of the Hyper-V module's format views ([B] in
 * src/format/hyperVViews.ts); the objects and errors name their sources.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Get-VMSwitch: the Default Switch, Internal, with its well-known ID',
    source:
      'Get-VMSwitch reference; Default Switch ID as tools look it up (canonical/multipass, crc-org/crc)',
    script:
      'Get-VMSwitch\n(Get-VMSwitch -Id c08cb7b8-9b3c-408e-8e30-5e16a3aeb444).Name\n(Get-VMSwitch -SwitchType External | Measure-Object).Count',
    output: lines(
      '',
      'Name           SwitchType NetAdapterInterfaceDescription',
      '----           ---------- ------------------------------',
      'Default Switch Internal',
      '',
      'Default Switch',
      '0',
    ),
    note: "The view's columns are our reading of the Hyper-V module's format view.",
  },
  {
    name: 'Get-VMNetworkAdapter: one adapter per VM on the Default Switch; addresses only from a running guest',
    source: 'Get-VMNetworkAdapter reference (VMName, SwitchName, MacAddress, Status, IPAddresses)',
    script: `$nic = Get-VMNetworkAdapter -VMName Db-01
"$($nic.Name) | $($nic.SwitchName) | $($nic.MacAddress.StartsWith('00155D')) | $($nic.IPAddresses.Count)"
$web = Get-VM Web-01 | Get-VMNetworkAdapter
"$($web.Status) $($web.IPAddresses.Count)"`,
    output: lines('Network Adapter | Default Switch | True | 0', 'Ok 1'),
    note: 'The MAC and IP addresses are simulated (see src/cmdlets/vmNetworkAdapter.ts).',
  },
  {
    name: 'Get-VMDvdDrive: a Generation 1 VM has one on IDE 1:0, a Generation 2 VM none',
    source: 'Get-VMDvdDrive reference; New-VM (Generation 1 VMs get a DVD drive)',
    script:
      'New-VM -Name Legacy -Generation 1 -MemoryStartupBytes 512MB | Out-Null\nGet-VMDvdDrive -VMName Legacy, Db-01',
    output: lines(
      '',
      'VMName ControllerType ControllerNumber ControllerLocation DvdMediaType Path',
      '------ -------------- ---------------- ------------------ ------------ ----',
      'Legacy IDE            1                0                  None',
      '',
    ),
    note: "The view's columns are our reading of the Hyper-V module's format view.",
  },
  {
    name: 'Get-VMFirmware: Secure Boot on a Generation 2 VM',
    source: 'Get-VMFirmware reference',
    script: '(Get-VMFirmware Db-01).SecureBoot\n"$((Get-VMFirmware -VMName Db-01).BootOrder)"',
    output: lines('On', 'Drive Network'),
  },
  {
    name: "Get-VMFirmware: a Generation 1 VM gets Hyper-V's error",
    source:
      'AutomatedLab/AutomatedLab#18 (The Generation 1 virtual machine or snapshot ... Get-VMBios and Set-VMBios)',
    script:
      'New-VM -Name Legacy -Generation 1 -MemoryStartupBytes 512MB | Out-Null\nGet-VMFirmware Legacy',
    output: lines(
      'Get-VMFirmware : The Generation 1 virtual machine or snapshot "Legacy" does not support the VMFirmware cmdlets. Use Get-VMBios and Set-VMBios instead.',
      'At line:2 char:1',
      '+ Get-VMFirmware Legacy',
      '+ ~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidArgument: (:) [Get-VMFirmware], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVMFirmware',
    ),
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V cmdlets: devices', cases);
