import { Router } from 'express';
import type { Host } from '@hvm/engine';
import {
  applyCheckpointBody,
  checkpointParams,
  createCheckpointBody,
  deleteCheckpointQuery,
  listCheckpointsQuery,
  renameCheckpointBody,
  vmParams,
} from '../http/schemas.js';
import { contentTaggedAnswer, sendCachedAnswer } from '../http/cachedAnswer.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { checkpointUrl, taskUrl } from './paths.js';
import { checkpointWithDeleteOutcome, withDeleteOutcomes, withVmRules } from './rulesInBodies.js';

export function checkpointRoutes(host: Host): Router {
  const router = Router();
  const one = '/vms/:vmId/checkpoints/:checkpointId';

  router.get('/vms/:vmId/checkpoints', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const { deleteOutcomes } = validateQuery(listCheckpointsQuery, req);
    const tree = host.listCheckpoints(vmId);
    // With an ETag: selecting a VM again revalidates its tree instead of reading it again.
    const body = deleteOutcomes === 'false' ? tree : withDeleteOutcomes(tree);
    sendCachedAnswer(req, res, contentTaggedAnswer(body));
  });

  router.post('/vms/:vmId/checkpoints', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const input = validateBody(createCheckpointBody, req);
    const checkpoint = await host.createCheckpoint(vmId, input);
    res.status(201).location(checkpointUrl(vmId, checkpoint.id)).json(checkpoint);
  });

  router.get(one, (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const checkpoint = host.getCheckpoint(vmId, checkpointId);
    res.json(checkpointWithDeleteOutcome(host.listCheckpoints(vmId), checkpoint));
  });

  router.patch(one, async (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const { name } = validateBody(renameCheckpointBody, req);
    res.json(await host.renameCheckpoint(vmId, checkpointId, name));
  });

  router.post(`${one}/actions/apply`, async (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const input = validateBody(applyCheckpointBody, req);
    res.json(withVmRules(await host.applyCheckpoint(vmId, checkpointId, input)));
  });

  router.delete(one, async (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const { subtree } = validateQuery(deleteCheckpointQuery, req);
    const { task } =
      subtree === 'true'
        ? await host.deleteCheckpointSubtree(vmId, checkpointId)
        : await host.deleteCheckpoint(vmId, checkpointId);
    if (task === null) {
      res.status(204).end();
      return;
    }
    res.status(202).location(taskUrl(task.id)).json({ task });
  });

  return router;
}
