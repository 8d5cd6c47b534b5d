export { Random, caseSeed } from './random.js';
export {
  caseRunArguments,
  runCaseRange,
  runCasesInWorkers,
  startCaseWorker,
  type CaseFailure,
  type CaseRange,
  type CaseRangeDone,
  type CaseRunOptions,
  type CaseWorkerHooks,
} from './caseWorkers.js';
export {
  errorCodeOf,
  rawResponse,
  sendRawRequest,
  type RawRequest,
  type RawResponse,
} from './rawHttp.js';
