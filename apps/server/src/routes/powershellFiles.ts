/**
 * The signed-in user's script files (powershell/scriptFiles.ts), so that a report written in the
 * console can be taken away: `GET /powershell/files` lists them, `GET /powershell/files/{name}`
 * downloads one (as an attachment, never rendered by the browser), `DELETE` removes one. Only the
 * user's own folder is reachable, through the same confinement as the scripts' (a name that is
 * not a plain file name of that folder is 404); the rule is the console's (`runPowerShell`).
 */
import { Router } from 'express';
import type { Request } from 'express';
import { ErrorCode } from '@hvm/engine';
import { FileFault, confinedFileSystem, confinedRoot } from '@hvm/powershell';
import type { ScriptFileSystem } from '@hvm/powershell';
import { requestUser } from '../auth/requestUser.js';
import { HttpError } from '../http/errors.js';
import type { PowerShellRuns } from '../powershell/runs.js';
import { userFilesFolder } from '../powershell/scriptFiles.js';

function notFound(name: string): HttpError {
  return new HttpError(ErrorCode.NotFound, `The file '${name}' does not exist.`, { name });
}

export function scriptFileRoutes(runs: PowerShellRuns): Router {
  const router = Router();

  function filesOf(req: Request): ScriptFileSystem {
    if (runs.filesRoot === null)
      throw new HttpError(ErrorCode.NotFound, 'This server gives scripts no files.', {});
    return confinedFileSystem(
      userFilesFolder(runs.filesRoot, requestUser(req).name),
      runs.fileLimits ?? {},
    );
  }

  /** The full path of a plain file name of the user's folder, or 404. */
  function pathOf(fs: ScriptFileSystem, name: string): string {
    if (/[\\/]/.test(name) || name === '.' || name === '..') throw notFound(name);
    try {
      return fs.resolve(confinedRoot, name);
    } catch (error) {
      if (error instanceof FileFault) throw notFound(name);
      throw error;
    }
  }

  async function faultsAsNotFound<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FileFault) throw notFound(name);
      throw error;
    }
  }

  router.get('/powershell/files', async (req, res) => {
    const fs = filesOf(req);
    const items = await fs.list(confinedRoot);
    res.json({
      files: items
        .filter((i) => !i.directory)
        .map((i) => ({
          name: i.name,
          length: i.length,
          lastWriteTime: i.lastWriteTime.toISOString(),
        })),
    });
  });

  router.get('/powershell/files/:name', async (req, res) => {
    const name = String(req.params.name);
    const fs = filesOf(req);
    const bytes = await faultsAsNotFound(name, () => fs.read(pathOf(fs, name)));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(Buffer.from(bytes));
  });

  router.delete('/powershell/files/:name', async (req, res) => {
    const name = String(req.params.name);
    const fs = filesOf(req);
    await faultsAsNotFound(name, () => fs.remove(pathOf(fs, name)));
    res.status(204).end();
  });

  return router;
}
