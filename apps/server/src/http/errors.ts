/**
 * The one code -> HTTP status table and the one error middleware. Every error answer has the body
 * `{ error: { code, message, details } }`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, isEngineError } from '@hvm/engine';
import type { ApiErrorBody as SharedApiErrorBody } from '@hvm/contracts';

/** Codes the HTTP layer reports on its own, next to the engine's. */
export const HttpErrorCode = {
  InvalidJson: 'INVALID_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  BadRequest: 'BAD_REQUEST',
  Internal: 'INTERNAL_ERROR',
  Unauthenticated: 'UNAUTHENTICATED',
  AccessDenied: 'ACCESS_DENIED',
  CsrfTokenInvalid: 'CSRF_TOKEN_INVALID',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  InsufficientStorage: 'INSUFFICIENT_STORAGE',
  StorageReadOnly: 'STORAGE_READ_ONLY',
  MisdirectedRequest: 'MISDIRECTED_REQUEST',
  CrossSiteRequest: 'CROSS_SITE_REQUEST',
  ServerBusy: 'SERVER_BUSY',
  HostUnreachable: 'HOST_UNREACHABLE',
  HostIdentityChanged: 'HOST_IDENTITY_CHANGED',
  HostSignedOut: 'HOST_SIGNED_OUT',
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export type ApiErrorCode = ErrorCode | HttpErrorCode;

const statusByCode: Record<ApiErrorCode, number> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.InvalidArgument]: 422,
  [ErrorCode.InvalidState]: 409,
  [ErrorCode.NameConflict]: 409,
  [ErrorCode.LimitExceeded]: 409,
  [ErrorCode.CheckpointsDisabled]: 409,
  [ErrorCode.ProductionCheckpointFailed]: 409,
  [ErrorCode.OperationInProgress]: 409,
  [ErrorCode.CorruptDisk]: 422,
  [ErrorCode.Unsupported]: 501,
  [ErrorCode.Cancelled]: 409,
  [ErrorCode.OperationFailed]: 409,
  [HttpErrorCode.InvalidJson]: 400,
  [HttpErrorCode.BadRequest]: 400,
  [HttpErrorCode.PayloadTooLarge]: 413,
  [HttpErrorCode.UnsupportedMediaType]: 415,
  [HttpErrorCode.Internal]: 500,
  [HttpErrorCode.Unauthenticated]: 401,
  [HttpErrorCode.AccessDenied]: 403,
  [HttpErrorCode.CsrfTokenInvalid]: 403,
  [HttpErrorCode.TooManyRequests]: 429,
  [HttpErrorCode.InsufficientStorage]: 507,
  [HttpErrorCode.StorageReadOnly]: 503,
  [HttpErrorCode.MisdirectedRequest]: 421,
  [HttpErrorCode.CrossSiteRequest]: 403,
  [HttpErrorCode.ServerBusy]: 503,
  [HttpErrorCode.HostUnreachable]: 502,
  [HttpErrorCode.HostIdentityChanged]: 502,
  [HttpErrorCode.HostSignedOut]: 502,
};

export function statusForCode(code: ApiErrorCode): number {
  return statusByCode[code];
}

/** Every error answer (the type the web app reads too, from @hvm/contracts). */
export type ApiErrorBody = SharedApiErrorBody<ApiErrorCode>;

/** An error of the HTTP layer itself (a request the server could not read, an unknown route). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is Error & BodyParserError {
  return (
    error instanceof Error &&
    typeof (error as Partial<BodyParserError>).type === 'string' &&
    typeof (error as Partial<BodyParserError>).status === 'number'
  );
}

function fromBodyParser(error: Error & BodyParserError): HttpError {
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(
        HttpErrorCode.InvalidJson,
        `The request body is not valid JSON: ${error.message}`,
      );
    case 'entity.too.large':
      return new HttpError(HttpErrorCode.PayloadTooLarge, 'The request body is too large.', {
        limit: (error as Partial<{ limit: number }>).limit,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(HttpErrorCode.UnsupportedMediaType, error.message);
    default:
      return new HttpError(HttpErrorCode.BadRequest, error.message);
  }
}

export type ErrorLogger = (error: unknown) => void;

/** The OS error code of a failed file operation (`ENOSPC`, ...), on the error or on its cause. */
function systemErrorCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const code = (error as Partial<{ code: unknown }>).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  return systemErrorCode(error.cause, depth + 1);
}

/** A data folder that is full or read-only is the host's state, not a server bug: said in Windows' words. */
function fromStorage(error: unknown): HttpError | null {
  switch (systemErrorCode(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new HttpError(
        HttpErrorCode.InsufficientStorage,
        'The operation did not complete: there is not enough space on the disk. Free some space in the host data folder and try again.',
      );
    case 'EROFS':
      return new HttpError(
        HttpErrorCode.StorageReadOnly,
        'The operation did not complete: the media is write protected (the host data folder is read-only).',
      );
    default:
      return null;
  }
}

/**
 * A compressed body that does not decompress (`Content-Encoding: gzip` over garbage, a truncated
 * stream): zlib's errors carry codes such as `Z_DATA_ERROR` or `Z_BUF_ERROR`. It is the client's
 * request that is wrong, not the server.
 */
function fromDecompression(error: unknown): HttpError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as Partial<{ code: unknown }>).code;
  // zlib: Z_DATA_ERROR, Z_BUF_ERROR...; Node's brotli decoder: ERR__ERROR_FORMAT_PADDING_1 and
  // the other BROTLI_DECODER_ERROR_* names, or ERR_BROTLI_... when the stream is cut short.
  if (typeof code !== 'string' || !/^(Z_|ERR_BROTLI_|ERR__ERROR_)/.test(code)) return null;
  return new HttpError(
    HttpErrorCode.BadRequest,
    'The request body could not be decompressed: it does not match its Content-Encoding.',
  );
}

function toBody(error: unknown): ApiErrorBody['error'] | null {
  const storage = isEngineError(error) ? null : (fromStorage(error) ?? fromDecompression(error));
  if (storage !== null) return toBody(storage);
  if (isEngineError(error) || error instanceof HttpError) {
    return { code: error.code, message: error.message, details: { ...error.details } };
  }
  if (isBodyParserError(error) && error.status < 500) return toBody(fromBodyParser(error));
  // The router could not decode a path parameter (`%ZZ`, a bare `%`, invalid UTF-8).
  if (error instanceof URIError)
    return toBody(
      new HttpError(
        HttpErrorCode.BadRequest,
        'The URL path holds an invalid percent-encoding; encode each path segment as UTF-8.',
      ),
    );
  return null;
}

/** Answers every error; anything that is not an engine or request error is a bug: 500, logged. */
export function errorHandler(logError: ErrorLogger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = toBody(error);
    const body: ApiErrorBody['error'] = known ?? {
      code: HttpErrorCode.Internal,
      message: 'An unexpected error occurred on the server.',
      details: {},
    };
    const status = statusForCode(body.code);
    // A busy server (a bounded queue full) is not a bug; everything else from 500 up is logged.
    if (status >= 500 && body.code !== HttpErrorCode.ServerBusy) logError(error);
    res.status(status).json({ error: body } satisfies ApiErrorBody);
  };
}

/** Unknown route: 404 NOT_FOUND in the common error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new HttpError(ErrorCode.NotFound, `No route matches ${req.method} ${req.originalUrl}.`, {
      method: req.method,
      path: req.originalUrl.split('?')[0],
    }),
  );
};
