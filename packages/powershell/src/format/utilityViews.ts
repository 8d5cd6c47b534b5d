/**
 * The default views of the utility cmdlets' output types, from PowerShell's own format data
 * (PowerShell/PowerShell src/System.Management.Automation/FormatAndOutput/DefaultFormatters/
 * PowerShellCore_format_ps1xml.cs): GroupInfo is a table Count (right, 5 wide), Name (25 wide),
 * Group; GroupInfoNoElement drops Group; TextMeasureInfo is a table Lines Words Characters Property;
 * GenericMeasureInfo is a list Count Average Sum Maximum Minimum Property; MemberDefinition is a
 * table Name MemberType Definition grouped by TypeName; a Hashtable shows Name (30 wide) and Value
 * (DotNetTypes.format.ps1xml, "Dictionary").
 */

export interface ViewColumn {
  label: string;
  property: string;
  width?: number;
  align?: 'left' | 'right';
}

export const groupInfoType = 'Microsoft.PowerShell.Commands.GroupInfo';
export const groupInfoNoElementType = 'Microsoft.PowerShell.Commands.GroupInfoNoElement';
export const genericMeasureInfoType = 'Microsoft.PowerShell.Commands.GenericMeasureInfo';
export const genericObjectMeasureInfoType =
  'Microsoft.PowerShell.Commands.GenericObjectMeasureInfo';
export const textMeasureInfoType = 'Microsoft.PowerShell.Commands.TextMeasureInfo';
export const memberDefinitionType = 'Microsoft.PowerShell.Commands.MemberDefinition';

export const utilityTableViews: Record<string, ViewColumn[]> = {
  [groupInfoType]: [
    { label: 'Count', property: 'Count', width: 5, align: 'right' },
    { label: 'Name', property: 'Name', width: 25 },
    { label: 'Group', property: 'Group' },
  ],
  [groupInfoNoElementType]: [
    { label: 'Count', property: 'Count', width: 5, align: 'right' },
    { label: 'Name', property: 'Name', width: 25 },
  ],
  [textMeasureInfoType]: [
    { label: 'Lines', property: 'Lines', align: 'right' },
    { label: 'Words', property: 'Words', align: 'right' },
    { label: 'Characters', property: 'Characters', align: 'right' },
    { label: 'Property', property: 'Property' },
  ],
  [memberDefinitionType]: [
    { label: 'Name', property: 'Name' },
    { label: 'MemberType', property: 'MemberType' },
    { label: 'Definition', property: 'Definition' },
  ],
};

export const utilityListViews: Record<string, string[]> = {
  [genericMeasureInfoType]: ['Count', 'Average', 'Sum', 'Maximum', 'Minimum', 'Property'],
  // No view of its own in PowerShell's format data that we could check: shown as its sibling.
  [genericObjectMeasureInfoType]: ['Count', 'Average', 'Sum', 'Maximum', 'Minimum', 'Property'],
};
