import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import type { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import type { Bound, CmdletContext } from './types.js';
import { winEventCmdlets } from './winEvent.js';

/** Runs Get-WinEvent's body with these parameters (hashtable literals come with the language). */
async function getWinEvent(
  host: Host,
  params: Bound,
): Promise<{ ids: number[]; errors: string[] }> {
  const ids: number[] = [];
  const errors: string[] = [];
  const ctx = {
    host,
    invocationName: 'Get-WinEvent',
    write: (value: unknown) => ids.push(Number((value as PsObject).get('Id'))),
    writeError: (error: PsError) => errors.push(error.message),
    writeWarning: () => undefined,
    writeHost: () => undefined,
    writeVerbose: () => undefined,
    writeDebug: () => undefined,
    writeInformation: () => undefined,
    shouldProcess: () => Promise.resolve(true),
    runScriptBlock: () => Promise.resolve([]),
    width: 120,
  } as CmdletContext;
  await winEventCmdlets[0]?.process?.(ctx, params);
  return { ids, errors };
}

/** The shape of the language's `@{}`: a typeName and entries(). */
function hashtable(entries: [string, unknown][]): unknown {
  const map = new Map(entries);
  return { typeName: 'System.Collections.Hashtable', entries: () => map.entries() };
}

describe('Get-WinEvent -FilterHashtable', () => {
  test('LogName with Id and Level select events; a Map and a PsObject hashtable work too', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'Web-01' });
    await host.changeVmState(vm.id, 'start');
    const log = 'Microsoft-Windows-Hyper-V-VMMS-Admin';
    expect(
      (
        await getWinEvent(host, {
          FilterHashtable: [
            hashtable([
              ['LogName', log],
              ['Id', 18500],
            ]),
          ],
        })
      ).ids,
    ).toEqual([18500]);
    expect(
      (
        await getWinEvent(host, {
          FilterHashtable: [
            new Map<string, unknown>([
              ['logname', log],
              ['ID', [13002, 18500]],
            ]),
          ],
        })
      ).ids,
    ).toEqual([18500, 13002]);
    expect(
      (
        await getWinEvent(host, {
          FilterHashtable: [
            new PsObject('System.Collections.Hashtable', { LogName: log, Level: 2 }),
          ],
        })
      ).errors,
    ).toEqual(['No events were found that match the specified selection criteria.']);
  });

  test('a provider name alone reads its log; unknown keys are event data no event carries', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'Web-01' });
    const byProvider = await getWinEvent(host, {
      FilterHashtable: [hashtable([['ProviderName', 'Microsoft-Windows-Hyper-V-VMMS']])],
    });
    expect(byProvider.ids).toEqual([13002]);
    const byData = await getWinEvent(host, {
      FilterHashtable: [
        hashtable([
          ['LogName', 'Microsoft-Windows-Hyper-V-VMMS-Admin'],
          ['VmName', 'Web-01'],
        ]),
      ],
    });
    expect(byData.ids).toEqual([]);
  });

  test('StartTime and EndTime bound the events', async () => {
    const { host, clock } = await createTestHost();
    await buildVm(host, { name: 'A' });
    const between = new Date(clock.now().getTime() + 1000);
    await clock.advance(2000);
    await buildVm(host, { name: 'B' });
    const after = await getWinEvent(host, {
      FilterHashtable: [
        hashtable([
          ['LogName', 'Microsoft-Windows-Hyper-V-VMMS-Admin'],
          ['StartTime', between],
        ]),
      ],
    });
    expect(after.ids).toEqual([13002]);
    const before = await getWinEvent(host, {
      FilterHashtable: [
        hashtable([
          ['LogName', 'Microsoft-Windows-Hyper-V-VMMS-Admin'],
          ['EndTime', between],
        ]),
      ],
    });
    expect(before.ids).toEqual([13002]);
  });
});
