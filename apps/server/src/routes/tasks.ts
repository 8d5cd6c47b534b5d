import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { taskParams } from '../http/schemas.js';
import { validateParams } from '../http/validate.js';

export function taskRoutes(host: Host): Router {
  const router = Router();
  router.get('/tasks', (_req, res) => {
    res.json(host.listTasks());
  });
  router.get('/tasks/:taskId', (req, res) => {
    const { taskId } = validateParams(taskParams, req);
    res.json(host.getTask(taskId));
  });
  return router;
}
