/**
 * Objects whose methods need the run (`$PSCmdlet.ShouldProcess(...)` asks the user) or belong to
 * a .NET type with no value class of its own here: hashtables, and anything implementing
 * `NativeObject`. evaluate.ts asks here before the plain methods of methods.ts.
 */
import { PsHashtable, callHashtableMethod } from './hashtable.js';

/** An object with methods of its own, which may be asynchronous. */
export abstract class NativeObject {
  abstract readonly typeName: string;
  /** The result of calling `name`, or undefined when the object has no such method. */
  abstract callMethod(name: string, args: unknown[]): Promise<{ value: unknown } | undefined>;
}

export async function callNativeMethod(
  target: unknown,
  name: string,
  args: unknown[],
): Promise<{ value: unknown } | undefined> {
  if (target instanceof PsHashtable) return callHashtableMethod(target, name, args);
  if (target instanceof NativeObject) return target.callMethod(name, args);
  return undefined;
}
