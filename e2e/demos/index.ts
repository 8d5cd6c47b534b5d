import type { Demo } from './demoContext.js';
import { productionCheckpoint } from './productionCheckpoint.js';
import { productionFallback } from './productionFallback.js';
import { standardCheckpoint } from './standardCheckpoint.js';

/** Every demo, in the order `npm run demo` runs them. */
export const DEMOS: readonly Demo[] = [
  standardCheckpoint,
  productionCheckpoint,
  productionFallback,
];
