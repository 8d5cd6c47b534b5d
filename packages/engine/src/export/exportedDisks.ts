import type { HostContext } from '../host/hostContext.js';
import { DISK_FOLDER, VM_FOLDER } from '../persistence/layout.js';

/** Export folders already read during one check: their configurations' disk files, lower-case. */
export type ExportedDiskCache = Map<string, Set<string>>;

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * True when `path` is a disk file of an export (`<export>/Virtual Hard Disks/<file>`, named by a
 * configuration in `<export>/Virtual Machines/`): an export's `.avhdx` files belong to the VM the
 * export holds, not to this host, so Check Host does not call them orphaned.
 */
export async function isExportedDisk(
  ctx: HostContext,
  path: string,
  cache: ExportedDiskCache,
): Promise<boolean> {
  const marker = `/${DISK_FOLDER}/`;
  const at = path.lastIndexOf(marker);
  if (at <= 0) return false;
  const root = path.slice(0, at);
  let files = cache.get(root);
  if (files === undefined) {
    files = new Set();
    cache.set(root, files);
    for (const name of await ctx.store.list(`${root}/${VM_FOLDER}`)) {
      if (!name.toLowerCase().endsWith('.json')) continue;
      try {
        const config = `${root}/${VM_FOLDER}/${name}`;
        if ((await ctx.store.stat(config)).size > MAX_CONFIG_BYTES) continue;
        const file = JSON.parse(new TextDecoder().decode(await ctx.store.readFile(config))) as {
          disks?: unknown;
        };
        if (typeof file.disks !== 'object' || file.disks === null) continue;
        for (const disk of Object.keys(file.disks)) files.add(`${root}/${disk}`.toLowerCase());
      } catch {
        // Not an export's configuration: its files stay as Check Host finds them.
      }
    }
  }
  return files.has(path.toLowerCase());
}
