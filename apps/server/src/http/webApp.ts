/**
 * Serves the built web app and falls back to its `index.html` for GET routes outside `/api`, so
 * that client-side routes survive a reload.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { RequestHandler } from 'express';

/** `null` when `webRoot` holds no built app (the API works without it). */
export function webApp(webRoot: string | undefined): RequestHandler[] | null {
  if (webRoot === undefined) return null;
  const indexHtml = join(webRoot, 'index.html');
  if (!existsSync(indexHtml)) return null;
  const fallback: RequestHandler = (req, res, next) => {
    const isApi = req.path === '/api' || req.path.startsWith('/api/');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  };
  return [express.static(webRoot, { index: 'index.html', fallthrough: true }), fallback];
}
