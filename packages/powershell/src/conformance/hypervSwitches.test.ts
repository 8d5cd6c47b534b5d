/**
 * Conformance of the virtual switch cmdlets (New-, Get-, Set-, Rename-, Remove-VMSwitch) and of
 * Connect- / Disconnect-VMNetworkAdapter. Parameter sets and -Force follow Microsoft's cmdlet
 * references (MicrosoftDocs/windows-powershell-docs, docset/winserver2019-ps/hyper-v/); the texts
 * Hyper-V writes for a refusal are not published and are marked where they are ours.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'New-VMSwitch -SwitchType Private and Internal; Get-VMSwitch lists them after the Default Switch',
    source:
      'New-VMSwitch reference (SwitchType set: "Allowed values are Internal and Private"); Get-VMSwitch reference',
    script: `New-VMSwitch -Name Lab -SwitchType Private | Out-Null
New-VMSwitch 'Host only' -SwitchType Internal -Notes 'no NAT' | Out-Null
Get-VMSwitch
(Get-VMSwitch -SwitchType Internal).Name -join ', '
(Get-VMSwitch 'Host only').Notes
(Get-VMSwitch Lab).AllowManagementOS`,
    output: lines(
      '',
      'Name           SwitchType NetAdapterInterfaceDescription',
      '----           ---------- ------------------------------',
      'Default Switch Internal',
      'Host only      Internal',
      'Lab            Private',
      '',
      'Default Switch, Host only',
      'no NAT',
      'False',
    ),
    note: "The view's columns are our reading of the Hyper-V module's format view.",
  },
  {
    name: 'New-VMSwitch with a network adapter (an External switch) is refused: this host has none',
    source:
      'New-VMSwitch reference (-NetAdapterName "implicitly set[s] the type of the virtual switch to External")',
    script: 'New-VMSwitch Wan -NetAdapterName Ethernet\n(Get-VMSwitch | Measure-Object).Count',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'An External virtual switch needs a physical network adapter to bind to, and this host has none. Create an Internal or Private switch instead.',
      );
      expect(result.output.trim().endsWith('1')).toBe(true);
    },
    note: 'The refusal is our sentence: Hyper-V on a host without a physical adapter is not documented.',
  },
  {
    name: 'New-VMSwitch refuses a second switch of the same name and a name with an invisible character',
    source: 'Engine name rule (packages/engine/src/names); duplicate refusal is ours',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
New-VMSwitch lab -SwitchType Internal
New-VMSwitch "A$([char]0x200B)B" -SwitchType Private`,
    output: (result) => {
      expect(result.errors.map((e) => e.message)).toEqual([
        "A virtual switch named 'lab' already exists.",
        'The virtual switch name cannot contain control characters or invisible formatting characters (U+200B at position 2).',
      ]);
    },
    exitCode: 1,
  },
  {
    name: 'Get-VMSwitch with a name that finds nothing writes an error; a wildcard writes nothing',
    source: 'Get-VMSwitch reference; record modelled on Get-VM (R30)',
    script: 'Get-VMSwitch NoSuch\n(Get-VMSwitch No* | Measure-Object).Count',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Hyper-V was unable to find a virtual switch with name "NoSuch".',
      );
      expect(result.output.trim().endsWith('0')).toBe(true);
    },
  },
  {
    name: 'Rename-VMSwitch and Set-VMSwitch -Notes / -SwitchType',
    source:
      'Rename-VMSwitch reference ([-Name] [-NewName]); Set-VMSwitch reference (-Notes, -SwitchType)',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
Rename-VMSwitch Lab -NewName 'Lab 2'
Set-VMSwitch 'Lab 2' -Notes 'test network' -SwitchType Internal
$s = Get-VMSwitch 'Lab 2'
"$($s.Name) | $($s.SwitchType) | $($s.Notes)"
(Get-VMSwitch 'Lab 2' | Rename-VMSwitch -NewName Lab3 -Passthru).Name`,
    output: lines('Lab 2 | Internal | test network', 'Lab3'),
  },
  {
    name: 'The Default Switch cannot be removed or renamed',
    source: 'Windows keeps the Default Switch; refusal sentence is ours (not documented)',
    script: "Remove-VMSwitch 'Default Switch' -Force\nRename-VMSwitch 'Default Switch' Mine",
    output: (result) => {
      expect(result.errors.map((e) => e.message)).toEqual([
        "The virtual switch 'Default Switch' cannot be removed: Windows creates and manages it.",
        "The virtual switch 'Default Switch' cannot be changed: Windows creates and manages it.",
      ]);
    },
    exitCode: 1,
  },
  {
    name: 'Remove-VMSwitch asks first: with no one to answer it changes nothing; -Force removes',
    source:
      'Remove-VMSwitch reference (-Force: "Forces the command to run without asking for user confirmation")',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
Remove-VMSwitch Lab
(Get-VMSwitch Lab).Name
Remove-VMSwitch Lab -Force
(Get-VMSwitch | Measure-Object).Count`,
    output: (result) => {
      expect(result.errors[0]?.message).toMatch(/^PowerShell is in NonInteractive mode./);
      expect(result.output).toContain('Lab\n');
      expect(result.output.trim().endsWith('1')).toBe(true);
    },
  },
  {
    name: 'Remove-VMSwitch -WhatIf says what it would do and removes nothing',
    source: 'about_CommonParameters (-WhatIf); the What if text is ours in the style of Remove-VM',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
Remove-VMSwitch Lab -WhatIf
(Get-VMSwitch Lab).Name`,
    output: lines('What if: Remove-VMSwitch will remove virtual switch "Lab".', 'Lab'),
  },
  {
    name: 'Connect-VMNetworkAdapter -SwitchName moves the adapter; Get-VMNetworkAdapter shows the switch',
    source:
      'Connect-VMNetworkAdapter reference ([-VMName] [[-Name]] [-SwitchName]); Get-VMNetworkAdapter (SwitchName)',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
Connect-VMNetworkAdapter -VMName Db-01 -SwitchName Lab
$nic = Get-VMNetworkAdapter Db-01
"$($nic.SwitchName) | $($nic.Connected) | $($nic.SwitchId -eq (Get-VMSwitch Lab).Id)"
(Get-VMNetworkAdapter Web-01 | Connect-VMNetworkAdapter -SwitchName Lab -Passthru).SwitchName
Connect-VMNetworkAdapter Web-01 'Default Switch'
(Get-VMNetworkAdapter Web-01).SwitchName
Get-VMSwitch Lab | Connect-VMNetworkAdapter -VMName Web-01
(Get-VMNetworkAdapter Web-01).SwitchName`,
    output: lines('Lab | True | True', 'Lab', 'Default Switch', 'Lab'),
  },
  {
    name: 'Connect-VMNetworkAdapter to a switch that does not exist writes an error and changes nothing',
    source: 'Connect-VMNetworkAdapter reference; record modelled on Get-VM (R30)',
    script:
      'Connect-VMNetworkAdapter Db-01 -SwitchName NoSuch\n(Get-VMNetworkAdapter Db-01).SwitchName',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Hyper-V was unable to find a virtual switch with name "NoSuch".',
      );
      expect(result.output).toContain('Default Switch');
    },
  },
  {
    name: 'Disconnect-VMNetworkAdapter leaves the adapter "Not connected"; a running guest then has no address',
    source: 'Disconnect-VMNetworkAdapter reference; Get-VMNetworkAdapter (SwitchName, IPAddresses)',
    script: `Disconnect-VMNetworkAdapter -VMName Web-01
$nic = Get-VMNetworkAdapter Web-01
"[$($nic.SwitchName)] $($nic.Connected) $($nic.IPAddresses.Count)"`,
    output: lines('[] False 0'),
  },
  {
    name: 'Removing a switch leaves the adapters connected to it not connected',
    source:
      'Hyper-V leaves a deleted switch\'s adapters "Not connected" ([B] observed behaviour, no Microsoft page found)',
    script: `New-VMSwitch Lab -SwitchType Internal | Out-Null
Connect-VMNetworkAdapter Db-01 -SwitchName Lab
Remove-VMSwitch Lab -Force
"[$((Get-VMNetworkAdapter Db-01).SwitchName)] [$((Get-VMNetworkAdapter Web-01).SwitchName)]"`,
    output: lines('[] [Default Switch]'),
  },
];

conformanceSuite('Hyper-V cmdlets: virtual switches', cases);
