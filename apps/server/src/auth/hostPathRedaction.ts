/**
 * No host path for non-Administrators. The engine's views give full paths on this host
 * (`/srv/hyperv/Virtual Hard Disks/WEB.vhdx`), as Hyper-V shows them to its administrators; a
 * Reader or a Checkpoint Operator gets the same answers with the data folder taken out
 * (`Virtual Hard Disks/WEB.vhdx`, the data folder itself as `.`), so where the host keeps its
 * files never reaches them: REST answers, the event stream and PowerShell runs alike, since they
 * all read the host through the view `withoutHostPaths` makes.
 *
 * Every string of every result and event is looked at, not only the fields known to hold paths,
 * so a path inside a message or a new field is covered too. Paths they send back are relative,
 * which the engine takes (an absolute one from them is refused before the engine, see
 * routes' path checks).
 */
import type { Host } from '@hvm/engine';

/** The data folder as the engine writes it in paths: `/` separators, no trailing one; null on memory. */
function rootOf(dataLocation: string): string | null {
  if (dataLocation === ':memory:' || dataLocation === '') return null;
  const root = dataLocation.replace(/\\/g, '/').replace(/\/+$/, '');
  return root === '' ? null : root;
}

/** `value` with every mention of the data folder taken out. */
export function hideHostPaths<T>(value: T, dataLocation: string): T {
  const root = rootOf(dataLocation);
  if (root === null) return value;
  const prefix = `${root}/`;
  const hide = (text: string): string =>
    text === root
      ? '.'
      : text.includes(root)
        ? text.split(prefix).join('').split(root).join('.')
        : text;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return hide(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) return item;
    if (item instanceof Date) return item;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) out[key] = walk(field);
    return out;
  };
  return walk(value) as T;
}

/** The host as a non-Administrator sees it: results and events without the data folder. */
export function withoutHostPaths(host: Host): Host {
  const dataLocation = host.info().dataLocation;
  if (rootOf(dataLocation) === null) return host;
  const hide = <T>(value: T): T => hideHostPaths(value, dataLocation);
  return new Proxy(host, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'subscribe') {
        return (listener: (event: unknown) => void) =>
          method.call(target, (event: unknown) => {
            listener(hide(event));
          });
      }
      if (property === 'withActor') {
        return (user: string) => withoutHostPaths(method.call(target, user) as Host);
      }
      return (...args: unknown[]): unknown => {
        const result = method.apply(target, args);
        return result instanceof Promise ? result.then(hide) : hide(result);
      };
    },
  });
}
