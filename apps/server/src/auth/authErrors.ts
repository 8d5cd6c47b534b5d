/** The errors of signing in and of permissions, in Windows' and Hyper-V's words. */
import { HttpError, HttpErrorCode } from '../http/errors.js';

export function accessDenied(computerName: string): HttpError {
  return new HttpError(
    HttpErrorCode.AccessDenied,
    `You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '${computerName}'.`,
  );
}

export function notSignedIn(computerName: string): HttpError {
  return new HttpError(
    HttpErrorCode.Unauthenticated,
    `You are not signed in to the computer '${computerName}', or your session has ended. Sign in and try again.`,
  );
}

export function wrongCredentials(): HttpError {
  return new HttpError(HttpErrorCode.Unauthenticated, 'The user name or password is incorrect.');
}

export function csrfTokenInvalid(): HttpError {
  return new HttpError(
    HttpErrorCode.CsrfTokenInvalid,
    'The request does not carry the X-CSRF-Token of your session. Reload the page and try again.',
  );
}

/** "10 seconds", "1 second", "15 minutes". */
function waitText(retryAfterSeconds: number): string {
  if (retryAfterSeconds < 60) {
    return `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function tooManySignInAttempts(retryAfterSeconds: number): HttpError {
  return new HttpError(
    HttpErrorCode.TooManyRequests,
    `There have been too many unsuccessful sign-in attempts. Try again in ${waitText(retryAfterSeconds)}.`,
    { retryAfterSeconds },
  );
}

/**
 * More sign-ins at once than the server checks at a time (for this account, from this address, or
 * in all). Windows has no such message that we know of: this sentence is ours, in the style of the
 * one above.
 */
export function signInBusy(retryAfterSeconds: number): HttpError {
  return new HttpError(
    HttpErrorCode.TooManyRequests,
    `Too many sign-in attempts are being checked at once. Try again in ${waitText(retryAfterSeconds)}.`,
    { retryAfterSeconds },
  );
}
