/**
 * Authentication and authorisation of `/api/v1`, in one middleware: it finds the user of the
 * request (the local Administrator when authentication is off, else the account of the session
 * cookie), then applies the rule of the operation from `routeRules`: signed in, the CSRF token on
 * state-changing requests, the role's permission, and, for a Checkpoint Operator, the VM grant.
 */
import type { Request, RequestHandler, Response } from 'express';
import { vmNotFound } from '@hvm/engine';
import type { Host } from '@hvm/engine';
import type { AccountStore } from './accountStore.js';
import { accessDenied, csrfTokenInvalid, notSignedIn } from './authErrors.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from './cookies.js';
import { isGrantedVmId } from './grantedVms.js';
import { sharedPasswordHasher } from './passwordHasher.js';
import type { PasswordHashing } from './passwordHasher.js';
import { DEFAULT_LOGIN_RATE_LIMITS, LoginRateLimiter } from './loginRateLimiter.js';
import type { LoginRateLimits } from './loginRateLimiter.js';
import { setRequestUser } from './requestUser.js';
import type { RequestUser } from './requestUser.js';
import { Role, roleAllows, roleIsScopedToGrantedVms } from './roles.js';
import { ruleFor, type SignedInRule } from './routeRules.js';
import type { HostTokenStore } from '../hosts/hostTokens.js';
import {
  DEFAULT_SESSION_IDLE_MS,
  DEFAULT_SESSION_MAX_AGE_MS,
  SessionStore,
  sameSecret,
} from './sessions.js';
import type { Session } from './sessions.js';

export const CSRF_HEADER = 'X-CSRF-Token';

export type AuthenticationMode = 'off' | 'required';

export interface AuthOptions {
  /** `off`: every request acts as the local Administrator (the loopback default). */
  mode: AuthenticationMode;
  /** The accounts; needed when `mode` is `required`. */
  accounts?: AccountStore;
  /** The name requests carry when authentication is off; default "Administrator". */
  localUserName?: string;
  clock?: Clock;
  sessionIdleMs?: number;
  sessionMaxAgeMs?: number;
  /** How often an open event stream checks that its session and the user's rights still hold; default 60 s. */
  streamCheckMs?: number;
  loginRateLimits?: LoginRateLimits;
  /** Where sign-in hashes passwords; default the process's hashing thread (`sharedPasswordHasher`). */
  passwordHasher?: PasswordHashing;
  /** Sign-ins, sign-outs and refusals, without any secret; default `console.log`. */
  log?: (message: string) => void;
  /** The host tokens this server issued to gateways (hosts/hostTokens.ts); none when absent. */
  hostTokens?: HostTokenStore;
}

/** A request's session, when it has a live one. */
export interface SessionContext {
  id: string;
  session: Session;
}

export interface Authentication {
  readonly mode: AuthenticationMode;
  readonly accounts: AccountStore | undefined;
  readonly sessions: SessionStore;
  readonly limiter: LoginRateLimiter;
  readonly hasher: PasswordHashing;
  readonly log: (message: string) => void;
  readonly computerName: () => string;
  /** The middleware in front of every `/api/v1` route. */
  readonly guard: RequestHandler;
  /** The live session of the request's cookie (refreshing its idle time). */
  sessionOf(req: Request, res: Response): SessionContext | undefined;
  userOf(context: SessionContext | undefined): RequestUser | undefined;
  /** The user of a request's `Authorization: Bearer` host token; null when it carries none. */
  tokenUserOf(req: Request): RequestUser | undefined | null;
  readonly hostTokens: HostTokenStore | undefined;
  readonly localUser: RequestUser;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createAuthentication(host: Host, options: AuthOptions): Authentication {
  if (options.mode === 'required' && options.accounts === undefined) {
    throw new Error('Authentication is required but no account store was given.');
  }
  const clock = options.clock ?? systemClock;
  const sessions = new SessionStore({
    clock,
    idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    maxAgeMs: options.sessionMaxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS,
  });
  const limiter = new LoginRateLimiter(options.loginRateLimits ?? DEFAULT_LOGIN_RATE_LIMITS, clock);
  const localUser: RequestUser = {
    name: options.localUserName ?? 'Administrator',
    role: Role.Administrator,
    virtualMachines: [],
    authenticated: false,
  };
  const computerName = (): string => host.info().name;

  const sessionOf = (req: Request, res: Response): SessionContext | undefined => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = sessions.touch(id);
    if (session === undefined) {
      res.append('Set-Cookie', clearedSessionCookie(req));
      return undefined;
    }
    return { id, session };
  };

  const accountUser = (accountName: string, passwordChangedAt: string): RequestUser | undefined => {
    const account = options.accounts?.find(accountName);
    if (account?.passwordChangedAt !== passwordChangedAt || account === undefined) return undefined;
    return {
      name: account.name,
      role: account.role,
      virtualMachines: roleIsScopedToGrantedVms(account.role) ? [...account.virtualMachines] : [],
      authenticated: true,
    };
  };

  /**
   * A gateway's request: `Authorization: Bearer <host token>`. It carries no cookie, so it needs
   * no CSRF token; the token acts as its account with the account's role and grants of now.
   */
  const tokenUserOf = (req: Request): RequestUser | undefined | null => {
    const header = req.get('Authorization');
    if (header === undefined) return null;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const record = token === undefined ? undefined : options.hostTokens?.find(token);
    return record === undefined
      ? undefined
      : accountUser(record.accountName, record.passwordChangedAt);
  };

  const userOf = (context: SessionContext | undefined): RequestUser | undefined => {
    if (context === undefined) return undefined;
    const account = options.accounts?.find(context.session.accountName);
    if (account?.passwordChangedAt !== context.session.passwordChangedAt || account === undefined) {
      sessions.end(context.id);
      return undefined;
    }
    return {
      name: account.name,
      role: account.role,
      virtualMachines: roleIsScopedToGrantedVms(account.role) ? [...account.virtualMachines] : [],
      authenticated: true,
    };
  };

  /**
   * Ends an event stream when its session ends (sign-out, at once), or when a periodic check finds
   * the session expired or the account's role, grants or password changed: the browser then
   * reconnects under the new rights, or not at all.
   */
  const watchStream = (res: Response, context: SessionContext, user: RequestUser): void => {
    const stop = (): void => {
      if (!res.writableEnded) res.end();
    };
    const unsubscribe = sessions.onEnd(context.id, stop);
    const rights = JSON.stringify([user.role, user.virtualMachines]);
    const timer = setInterval(() => {
      const session = sessions.peek(context.id);
      const now = session === undefined ? undefined : userOf({ id: context.id, session });
      if (now === undefined || JSON.stringify([now.role, now.virtualMachines]) !== rights) stop();
    }, options.streamCheckMs ?? 60_000);
    timer.unref();
    res.on('close', () => {
      clearInterval(timer);
      unsubscribe();
    });
  };

  /** Ends a gateway's event stream when its token or the account's rights change. */
  const watchTokenStream = (req: Request, res: Response, user: RequestUser): void => {
    const rights = JSON.stringify([user.role, user.virtualMachines]);
    const timer = setInterval(() => {
      const now = tokenUserOf(req);
      if (now == null || JSON.stringify([now.role, now.virtualMachines]) !== rights) {
        if (!res.writableEnded) res.end();
      }
    }, options.streamCheckMs ?? 60_000);
    timer.unref();
    res.on('close', () => clearInterval(timer));
  };

  /** The role's permission for the route, and for a VM route a Checkpoint Operator's grant. */
  const assertAllowed = (user: RequestUser, rule: SignedInRule, vmId: string | undefined): void => {
    if (!roleAllows(user.role, rule.permission)) throw accessDenied(computerName());
    if (
      rule.vm &&
      vmId !== undefined &&
      roleIsScopedToGrantedVms(user.role) &&
      !isGrantedVmId(host, user.virtualMachines, vmId)
    ) {
      throw vmNotFound(vmId);
    }
  };

  const guardTokenRequest = (
    req: Request,
    res: Response,
    rule: ReturnType<typeof ruleFor>['rule'],
    vmId: string | undefined,
    user: RequestUser | undefined,
  ): void => {
    if (user === undefined) throw notSignedIn(computerName());
    setRequestUser(req, user);
    if (rule.access === 'public') return;
    assertAllowed(user, rule, vmId);
    if (rule.stream === true) watchTokenStream(req, res, user);
  };

  const guard: RequestHandler = (req, res, next) => {
    const { rule, vmId } = ruleFor(req.method, req.path);
    if (options.mode === 'off') {
      setRequestUser(req, localUser);
      next();
      return;
    }
    const tokenUser = tokenUserOf(req);
    if (tokenUser !== null) {
      guardTokenRequest(req, res, rule, vmId, tokenUser);
      next();
      return;
    }
    const context = sessionOf(req, res);
    const user = userOf(context);
    if (user !== undefined) setRequestUser(req, user);
    if (rule.access === 'public') {
      next();
      return;
    }
    if (user === undefined || context === undefined) throw notSignedIn(computerName());
    if (!safeMethods.has(req.method)) {
      const token = req.get(CSRF_HEADER);
      if (token === undefined || !sameSecret(token, context.session.csrfToken)) {
        throw csrfTokenInvalid();
      }
    }
    assertAllowed(user, rule, vmId);
    if (rule.stream === true) watchStream(res, context, user);
    next();
  };

  return {
    mode: options.mode,
    accounts: options.accounts,
    sessions,
    limiter,
    hasher: options.passwordHasher ?? sharedPasswordHasher(),
    log: options.log ?? ((message) => console.log(message)),
    computerName,
    guard,
    sessionOf,
    userOf,
    tokenUserOf,
    hostTokens: options.hostTokens,
    localUser,
  };
}
