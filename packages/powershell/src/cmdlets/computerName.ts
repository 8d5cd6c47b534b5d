/**
 * `-ComputerName` on every Hyper-V cmdlet. This server is one Hyper-V host: the names that mean it
 * (`localhost`, `.`, its loopback addresses and its own host name, as `Get-VMHost` reports it) act
 * here; any other name runs the cmdlet on the server of that name this console is connected to
 * (remoteComputers.ts), or is a host it cannot reach.
 */
import type { Host } from '@hvm/engine';
import { PsError } from '../errors.js';
import {
  computersOfObjects,
  fromRemote,
  namesOf,
  notSendable,
  objectsOf,
  remoteCommandLine,
  remoteError,
  typeNamesOf,
} from './remoteComputers.js';
import { isTruthy } from '../runtime/values.js';
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
 * Runs the cmdlet on another server: its output objects and error records are written here. A
 * name this console has no usable connection to is a host that cannot be reached.
 */
async function actThere(
  ctx: CmdletContext,
  def: CmdletDef,
  params: Bound,
  name: string,
): Promise<void> {
  const remote = ctx.services?.remoteComputers;
  if (remote === undefined) {
    ctx.writeError(unreachableComputer(name));
    return;
  }
  const whatIf = def.shouldProcess === true && isTruthy(ctx.variables?.get('WhatIfPreference'));
  const commandLine = remoteCommandLine(def.name, params, name, whatIf);
  if (commandLine === null) {
    ctx.writeError(notSendable(def.name, name));
    return;
  }
  const outcome = await remote.invoke(name, commandLine);
  if (!outcome.reached) {
    ctx.writeError(unreachableComputer(name));
    return;
  }
  const types = typeNamesOf(outcome.objectTypes, outcome.objects.length);
  outcome.objects.forEach((object, i) =>
    ctx.write(fromRemote(object, types[i] ?? null, outcome.computerName)),
  );
  for (const record of outcome.errors) ctx.writeError(remoteError(record));
}

/**
 * Without -ComputerName, VM and checkpoint objects of other servers (`Get-VM -ComputerName A |
 * Start-VM`) are acted on where they come from, as a Hyper-V object carries its computer
 * (ComputerName): each other server is sent the command with its own objects, and this host acts
 * on the rest.
 */
async function actWhereObjectsAre(
  ctx: CmdletContext,
  def: CmdletDef,
  params: Bound,
  act: (params: Bound) => Promise<void>,
): Promise<void> {
  const computers = computersOfObjects(params);
  const others = computers.filter((name) => !isThisHost(ctx.host, name));
  if (others.length === 0) return act(params);
  if (others.length < computers.length)
    await act(objectsOf(params, (name) => isThisHost(ctx.host, name)));
  for (const name of others)
    await actThere(
      ctx,
      def,
      objectsOf(params, (n) => n === name),
      name,
    );
}

/**
 * Acts on every named computer: this host once (whatever names of it are given, `act`), each other
 * one through the run's RemoteComputers, its objects and errors written here.
 */
async function actOnEach(
  ctx: CmdletContext,
  def: CmdletDef,
  params: Bound,
  act: (params: Bound) => Promise<void>,
  /** False in `end` of a cmdlet with `process` too: the other servers ran there already. */
  remoteToo = true,
): Promise<void> {
  const value = params.ComputerName;
  if (value === undefined)
    return remoteToo ? actWhereObjectsAre(ctx, def, params, act) : act(params);
  let here = false;
  for (const name of namesOf(value)) {
    if (isThisHost(ctx.host, name)) {
      if (!here) await act(params);
      here = true;
    } else if (remoteToo) await actThere(ctx, def, params, name);
  }
}

/** The cmdlet with `-ComputerName`: this host, and each other server named, act. */
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
            actOnEach(ctx, def, params, (bound) => process(ctx, bound)),
        }
      : {}),
    ...(end
      ? {
          end: (ctx: CmdletContext, params: Bound, input: unknown[]) =>
            actOnEach(ctx, def, params, (bound) => end(ctx, bound, input), !process),
        }
      : {}),
  };
}
