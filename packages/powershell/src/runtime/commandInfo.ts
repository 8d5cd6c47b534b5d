/**
 * Which command an error belongs to (the name as typed, the cmdlet, the part of the script to
 * underline), kept beside the error until its record is written.
 */
import type { CommandNode } from '../language/ast.js';
import type { CmdletDef } from '../cmdlets/types.js';
import { PsError } from '../errors.js';

export interface CommandInfo {
  invocationName: string;
  def: CmdletDef | undefined;
  extent: { start: number; end: number };
}

const commandOf = new WeakMap<PsError, CommandInfo>();

export function attach(error: PsError, info: CommandInfo): PsError {
  if (!commandOf.has(error)) commandOf.set(error, info);
  return error;
}

export function currentCommand(error: PsError): CommandInfo | undefined {
  return commandOf.get(error);
}

export function withCommand<T>(node: CommandNode, def: CmdletDef, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PsError) attach(error, { invocationName: node.name, def, extent: node });
    throw error;
  }
}

export async function withCommandAsync<T>(
  node: CommandNode,
  def: CmdletDef,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PsError) attach(error, { invocationName: node.name, def, extent: node });
    throw error;
  }
}

export function errorInit(error: PsError): ConstructorParameters<typeof PsError>[1] {
  return {
    category: error.category,
    errorId: error.errorId,
    exceptionType: error.exceptionType,
    target: error.target,
    targetType: error.targetType,
    ...(error.extent ? { extent: error.extent } : {}),
    ...(error.targetObject !== undefined ? { targetObject: error.targetObject } : {}),
    fromWriteError: error.fromWriteError,
  };
}
