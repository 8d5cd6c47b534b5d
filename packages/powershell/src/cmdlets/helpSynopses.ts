/**
 * Each cmdlet's SYNOPSIS, word for word from Microsoft's reference pages: the Hyper-V ones from
 * MicrosoftDocs/windows-powershell-docs (docset/winserver2022-ps/Hyper-V/<cmdlet>.md), the others
 * from MicrosoftDocs/PowerShell-Docs (reference/5.1/<module>/<cmdlet>.md). A cmdlet missing here
 * gets no SYNOPSIS section rather than a sentence of ours.
 */
export const synopses: Record<string, string> = {
  'Get-VM': 'Gets the virtual machines from one or more Hyper-V hosts.',
  'Set-VMFirmware': 'Sets the firmware configuration of a virtual machine.',
  'Enable-VMTPM': 'Enables TPM functionality on a virtual machine.',
  'New-VM': 'Creates a new virtual machine.',
  'Remove-VM': 'Deletes a virtual machine.',
  'Set-VM': 'Configures a virtual machine.',
  'Start-VM': 'Starts a virtual machine.',
  'Stop-VM': 'Shuts down, turns off, or saves a virtual machine.',
  'Save-VM': 'Saves a virtual machine.',
  'Suspend-VM': 'Suspends, or pauses, a virtual machine.',
  'Resume-VM': 'Resumes a suspended (paused) virtual machine.',
  'Restart-VM': 'Restarts a virtual machine.',
  'Remove-VMSavedState': 'Deletes the saved state of a saved virtual machine.',
  'Checkpoint-VM': 'Creates a checkpoint of a virtual machine.',
  'Get-VMSnapshot': 'Gets the checkpoints associated with a virtual machine or checkpoint.',
  'Restore-VMSnapshot': 'Restores a virtual machine checkpoint.',
  'Remove-VMSnapshot': 'Deletes a virtual machine checkpoint.',
  'Rename-VMSnapshot': 'Renames a virtual machine checkpoint.',
  // winserver2019-ps/hyper-v/<cmdlet>.md
  'New-VMSwitch': 'Creates a new virtual switch on one or more virtual machine hosts.',
  'Remove-VMSwitch': 'Deletes a virtual switch.',
  'Rename-VMSwitch': 'Renames a virtual switch.',
  'Connect-VMNetworkAdapter': 'Connects a virtual network adapter to a virtual switch.',
  'Add-VMNetworkAdapter': 'Adds a virtual network adapter to a virtual machine.',
  'Remove-VMNetworkAdapter': 'Removes one or more virtual network adapters from a virtual machine.',
  'Rename-VMNetworkAdapter':
    'Renames a virtual network adapter on a virtual machine or on the management operating system.',
  'Get-VMScsiController': 'Gets the SCSI controllers of a virtual machine or snapshot.',
  'Get-VMIdeController': 'Gets the IDE controllers of a virtual machine or snapshot.',
  'Add-VMScsiController': 'Adds a SCSI controller in a virtual machine.',
  'Remove-VMScsiController': 'Removes a SCSI controller from a virtual machine.',
  'Export-VMSnapshot': 'Exports a virtual machine checkpoint to disk.',
  'Import-VM': 'Imports a virtual machine from a file.',
  'Compare-VM':
    'Compares a virtual machine and a virtual machine host for compatibility, returning a compatibility report.',
  'Get-VMIntegrationService': 'Gets the integration services of a virtual machine or snapshot.',
  'Enable-VMIntegrationService': 'Enables an integration service on a virtual machine.',
  'Disable-VMIntegrationService': 'Disables an integration service on a virtual machine.',
  'Get-VMHardDiskDrive':
    'Gets the virtual hard disk drives attached to one or more virtual machines.',
  'Get-VHD': 'Gets the virtual hard disk object associated with a virtual hard disk.',
  'Convert-VHD': 'Converts the format, version type, and block size of a virtual hard disk file.',
  'Optimize-VHD':
    'Optimizes the allocation of space used by virtual hard disk files, except for fixed virtual hard disks.',
  'Select-Object': 'Selects objects or object properties.',
  'Where-Object': 'Selects objects from a collection based on their property values.',
  'Sort-Object': 'Sorts objects by property values.',
  'ForEach-Object': 'Performs an operation against each item in a collection of input objects.',
  'Group-Object': 'Groups objects that contain the same value for specified properties.',
  'Measure-Object':
    'Calculates the numeric properties of objects, and the characters, words, and lines in string objects, such as files of text.',
  'Out-Null': 'Hides the output instead of sending it down the pipeline or displaying it.',
  'Out-String': 'Outputs input objects as a string.',
  'Out-File': 'Sends output to a file.',
  'Write-Host': 'Writes customized output to a host.',
  'Write-Output': 'Writes the specified objects to the pipeline.',
  'Get-Command': 'Gets all commands.',
  'Get-Help': 'Displays information about PowerShell commands and concepts.',
  'Get-Member': 'Gets the properties and methods of objects.',
  'Get-Date': 'Gets the current date and time.',
  'Format-Table': 'Formats the output as a table.',
  'Format-List':
    'Formats the output as a list of properties in which each property appears on a new line.',
  'ConvertTo-Json': 'Converts an object to a JSON-formatted string.',
  'ConvertFrom-Json': 'Converts a JSON-formatted string to a custom object.',
  'ConvertTo-Csv':
    'Converts .NET objects into a series of character-separated value (CSV) strings.',
  'ConvertFrom-Csv':
    'Converts object properties in character-separated value (CSV) format into CSV versions of the original objects.',
  'Export-Csv':
    'Converts objects into a series of character-separated value (CSV) strings and saves the strings to a file.',
  'Tee-Object': 'Saves command output in a file or variable and also sends it down the pipeline.',
  'Import-Csv':
    'Creates table-like custom objects from the items in a character-separated value (CSV) file.',
  'Get-Content': 'Gets the content of the item at the specified location.',
  'Set-Content': 'Writes new content or replaces existing content in a file.',
  'Add-Content': 'Adds content to the specified items, such as adding words to a file.',
  'Test-Path': 'Determines whether all elements of a path exist.',
  'Remove-Item': 'Deletes the specified items.',
  'Get-ChildItem': 'Gets the items and child items in one or more specified locations.',
  'Get-Location': 'Gets information about the current working location or a location stack.',
  'Set-Location': 'Sets the current working location to a specified location.',
  'Join-Path': 'Combines a path and a child path into a single path.',
  'Split-Path': 'Returns the specified part of a path.',
};
