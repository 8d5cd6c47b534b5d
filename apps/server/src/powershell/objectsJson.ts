/**
 * A run's output objects as the UTF-8 JSON text of their array, made on the script worker and
 * handed to the main thread without a copy (its buffer is transferred). A run of `Get-VM |
 * Get-VMSnapshot` on a large host writes 100,000 objects: cloned one by one to the main thread and
 * serialized there, they cost seconds of the server's event loop and its heap; as one transferred
 * buffer they cost the worker one `JSON.stringify`, and the answer writes the bytes as they are.
 */
import type { ServerResponse } from 'node:http';
import type { PowerShellResult } from '@hvm/powershell';

export class ObjectsJson {
  constructor(
    /** `[...]`, UTF-8. */
    readonly bytes: Uint8Array,
  ) {}

  /** The objects' JSON text, or null when a value cannot be written as JSON (a BigInt). */
  static of(objects: readonly unknown[]): ObjectsJson | null {
    let text: string;
    try {
      text = JSON.stringify(objects);
    } catch {
      return null;
    }
    return new ObjectsJson(new TextEncoder().encode(text));
  }

  /** Anything that serializes the answer as a whole (a test, a log) sees the objects themselves. */
  toJSON(): unknown {
    return JSON.parse(new TextDecoder().decode(this.bytes)) as unknown;
  }
}

/** A run's result on the main thread: its objects as they are, or as their JSON text. */
export type RunResult = Omit<PowerShellResult, 'objects'> & { objects: unknown[] | ObjectsJson };

/**
 * Writes `answer` as JSON: as `JSON.stringify` would when its objects are values, else its other
 * fields serialized and the objects' bytes written after them as they are.
 */
export function writeJsonAnswer(
  res: ServerResponse,
  answer: { objects: unknown[] | ObjectsJson } & Record<string, unknown>,
): void {
  const { objects, ...rest } = answer;
  const fields = JSON.stringify(rest);
  const head = Buffer.from(
    objects instanceof ObjectsJson
      ? `${fields.slice(0, -1)}${fields === '{}' ? '' : ','}"objects":`
      : `${fields.slice(0, -1)}${fields === '{}' ? '' : ','}"objects":${JSON.stringify(objects)}`,
  );
  const tail = Buffer.from('}');
  const body = objects instanceof ObjectsJson ? objects.bytes : new Uint8Array(0);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(head.length + body.length + tail.length));
  res.write(head);
  if (body.length > 0) res.write(body);
  res.end(tail);
}
