/**
 * `-ComputerName` on every Hyper-V cmdlet. This server is one Hyper-V host: the names that mean it
 * (`localhost`, `.`, its loopback addresses and its own host name, as `Get-VMHost` reports it) act
 * here; any other name is a host it cannot reach.
 */
import type { Host } from '@hvm/engine';
import { PsError } from '../errors.js';
import { toPsString } from '../runtime/values.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';

export const computerNameParam: ParamDef = {
  name: 'ComputerName',
  type: 'string[]',
  notNullOrEmpty: true,
};

/** The names of this host, compared case-insensitively. */
export function isThisHost(host: Host, name: string): boolean {
  const wanted = name.trim().toLowerCase();
  const own = host.info().name.toLowerCase();
  return (
    wanted === '.' ||
    wanted === 'localhost' ||
    wanted === '127.0.0.1' ||
    wanted === '::1' ||
    wanted === own ||
    // A fully qualified name of this host ("hv-host.contoso.com").
    wanted.split('.')[0] === own
  );
}

/**
 * What Hyper-V's cmdlets print for a computer name that does not resolve: "The computer '<name>'
 * could not be resolved. Make sure you typed the machine name correctly and that you have
 * network access." (Get-VM, quoted in MicrosoftDocs/Virtualization-Documentation#887). [B]
 * unverified: the CategoryInfo and FullyQualifiedErrorId of that record were not quoted; ours are
 * those of Hyper-V's other "object not found" records.
 */
export function unreachableComputer(name: string): PsError {
  return new PsError(
    `The computer '${name}' could not be resolved. Make sure you typed the machine name correctly and that you have network access.`,
    {
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      exceptionType: 'VirtualizationException',
    },
  );
}

/**
 * Reports every name that is not this host; true when the cmdlet should act here (no
 * -ComputerName, or one of the names is this host).
 */
function actsHere(ctx: CmdletContext, params: Bound): boolean {
  const value = params.ComputerName;
  if (value === undefined) return true;
  const names = (Array.isArray(value) ? value : [value]).map((n) => toPsString(n));
  let here = false;
  for (const name of names) {
    if (isThisHost(ctx.host, name)) here = true;
    else ctx.writeError(unreachableComputer(name));
  }
  return here;
}

/** The cmdlet with `-ComputerName`: it acts on this host once, whatever names of it are given. */
export function withComputerName(def: CmdletDef): CmdletDef {
  const declared = def.params.some((p) => p.name === 'ComputerName');
  const process = def.process?.bind(def);
  const end = def.end?.bind(def);
  return {
    ...def,
    params: declared ? def.params : [...def.params, computerNameParam],
    ...(process
      ? {
          process: (ctx: CmdletContext, params: Bound) =>
            actsHere(ctx, params) ? process(ctx, params) : Promise.resolve(),
        }
      : {}),
    ...(end
      ? {
          end: (ctx: CmdletContext, params: Bound, input: unknown[]) =>
            actsHere(ctx, params) ? end(ctx, params, input) : Promise.resolve(),
        }
      : {}),
  };
}
