import type { HostContext } from '../host/hostContext.js';
import { isWriteLeftover } from '../persistence/layout.js';

/**
 * Exports in flight, so that a crash's leftovers (`<target>.partial` folders) are removed on the
 * next load. The journal sits at the root of the data folder and is rewritten atomically.
 */
export const EXPORT_JOURNAL = 'exports-in-progress.json';

interface Journal {
  partial: string[];
  writes: Promise<void>;
}

const journals = new WeakMap<HostContext, Journal>();

function journalOf(ctx: HostContext): Journal {
  let journal = journals.get(ctx);
  if (journal === undefined) {
    journal = { partial: [], writes: Promise.resolve() };
    journals.set(ctx, journal);
  }
  return journal;
}

function save(ctx: HostContext, journal: Journal): Promise<void> {
  const write = journal.writes.then(async () => {
    if (journal.partial.length === 0) {
      if (await ctx.store.exists(EXPORT_JOURNAL)) await ctx.store.unlink(EXPORT_JOURNAL);
      return;
    }
    const bytes = new TextEncoder().encode(`${JSON.stringify({ partial: journal.partial })}\n`);
    await ctx.store.writeFileAtomic(EXPORT_JOURNAL, bytes);
  });
  journal.writes = write.catch(() => undefined);
  return write;
}

export function isExportInFlight(ctx: HostContext, partial: string): boolean {
  return journalOf(ctx).partial.some((p) => p.toLowerCase() === partial.toLowerCase());
}

export async function beginExport(ctx: HostContext, partial: string): Promise<void> {
  const journal = journalOf(ctx);
  journal.partial.push(partial);
  await save(ctx, journal);
}

export async function endExport(ctx: HostContext, partial: string): Promise<void> {
  const journal = journalOf(ctx);
  journal.partial = journal.partial.filter((p) => p !== partial);
  await save(ctx, journal);
}

/**
 * On load: removes the `.partial` folders of exports a crash or a stop interrupted, and the
 * temporary copies of the journal a crash left half-written.
 */
export async function removeExportLeftovers(ctx: HostContext): Promise<void> {
  for (const name of await ctx.store.list('')) {
    if (isWriteLeftover(name, EXPORT_JOURNAL)) await ctx.store.unlink(name);
  }
  if (!(await ctx.store.exists(EXPORT_JOURNAL))) return;
  let partial: unknown = [];
  try {
    const text = new TextDecoder().decode(await ctx.store.readFile(EXPORT_JOURNAL));
    partial = (JSON.parse(text) as { partial?: unknown }).partial;
  } catch {
    // An unreadable journal names nothing to remove.
  }
  if (Array.isArray(partial)) {
    for (const path of partial) {
      if (typeof path === 'string' && path.endsWith('.partial')) {
        try {
          await ctx.store.removeTree(path);
        } catch {
          // Tried again on the next load.
          return;
        }
      }
    }
  }
  await ctx.store.unlink(EXPORT_JOURNAL);
}
