/**
 * `$PSVersionTable` and the environment behind `$env:NAME` (about_Automatic_Variables,
 * about_Environment_Variables).
 *
 * The shell answers as Windows PowerShell 5.1 does: PSVersion 5.1, PSEdition Desktop. The numbers
 * are those of one published Windows PowerShell 5.1 `$PSVersionTable` (Windows 10 1909 / build
 * 18362.145: PSVersion 5.1.18362.145, BuildVersion 10.0.18362.145, CLRVersion 4.0.30319.42000,
 * WSManStackVersion 3.0, PSRemotingProtocolVersion 2.3, SerializationVersion 1.1.0.1,
 * PSCompatibleVersions 1.0 to 5.1; gist.github.com/stknohg/cd43a673a614d1c362152356665005ed),
 * in the order a 5.1 console lists them (pastebin.com/hrdr1h1y). The build is not this host's:
 * there is no Windows here, and a script reads the major and minor numbers.
 */
import type { Host } from '@hvm/engine';
import { PsHashtable } from './hashtable.js';
import type { RunOptions } from './runOptions.js';
import { PsObject } from './values.js';
import type { Variables } from './variables.js';

export const versionType = 'System.Version';

/** A System.Version: Major, Minor, Build, Revision; as a string `5.1.18362.145`. */
export function version(text: string): PsObject {
  const [major = 0, minor = 0, build = -1, revision = -1] = text.split('.').map(Number);
  return new PsObject(versionType, {
    Major: major,
    Minor: minor,
    Build: build,
    Revision: revision,
    MajorRevision: revision === -1 ? -1 : Math.floor(revision / 65536),
    MinorRevision: revision === -1 ? -1 : revision % 65536,
  });
}

export function psVersionTable(): PsHashtable {
  const table = new PsHashtable();
  table.set('PSVersion', version('5.1.18362.145'));
  table.set('PSEdition', 'Desktop');
  table.set(
    'PSCompatibleVersions',
    ['1.0', '2.0', '3.0', '4.0', '5.0', '5.1.18362.145'].map(version),
  );
  table.set('BuildVersion', version('10.0.18362.145'));
  table.set('CLRVersion', version('4.0.30319.42000'));
  table.set('WSManStackVersion', version('3.0'));
  table.set('PSRemotingProtocolVersion', version('2.3'));
  table.set('SerializationVersion', version('1.1.0.1'));
  return table;
}

/**
 * The environment a run's `$env:NAME` reads: the one given in RunOptions.environment (hvps gives
 * its process's), or only COMPUTERNAME, the host's name; a server run never sees the server
 * process's environment. Names compare without case, as on Windows; `$env:X = 'y'` changes this
 * run's copy only.
 */
export class Environment {
  private readonly values = new Map<string, { name: string; value: string }>();

  constructor(initial: Record<string, string | undefined>) {
    for (const [name, value] of Object.entries(initial))
      if (value !== undefined) this.set(name, value);
  }

  get(name: string): string | null {
    return this.values.get(name.toLowerCase())?.value ?? null;
  }

  /** `$env:X = $null` or `''` removes X, as in PowerShell. */
  set(name: string, value: string | null): void {
    if (value === null || value === '') this.values.delete(name.toLowerCase());
    else this.values.set(name.toLowerCase(), { name, value });
  }
}

/** Sets a run's `$PSVersionTable` and the environment of `$env:` on its script scope. */
export function setAutomaticVariables(variables: Variables, host: Host, options: RunOptions): void {
  variables.set('PSVersionTable', psVersionTable());
  variables.environment = new Environment(
    options.environment ?? { COMPUTERNAME: host.info().name },
  );
}
