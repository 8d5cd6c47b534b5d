import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.js';

export function openApiRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
