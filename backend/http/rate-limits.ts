/**
 * Rate limits at the edge (express-rate-limit): logins per client address and per account name
 * (counted before the password is looked at, so unknown names are limited too), writes per user,
 * urges per user. With REDIS_URL the counters are shared by every instance; without it each
 * instance counts for itself. An answer over the limit is a 429 with Retry-After.
 */
import type { RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import type { Config } from '../../config/index.ts';
import { AppError } from '../errors.ts';

export interface Limits {
  loginPerIp: RequestHandler;
  loginPerAccount: RequestHandler;
  writesPerUser: RequestHandler;
  urgesPerUser: RequestHandler;
  /** the applicant's status query: per client address and per case number (known or not, alike) */
  publicPerClient: RequestHandler;
  publicPerCase: RequestHandler;
  close(): Promise<void>;
}

type Req = Parameters<RequestHandler>[0];

export function createLimits(config: Config): Limits {
  const redis = config.REDIS_URL ? createClient({ url: config.REDIS_URL }) : null;
  if (redis) void redis.connect().catch(() => undefined); // commands queue until it is up
  const store = (prefix: string): Store | undefined =>
    redis ? new RedisStore({ prefix: `ld:rl:${prefix}:`, sendCommand: (...args: string[]) => redis.sendCommand(args) }) : undefined;
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const limiter = (name: string, limit: number, key: (req: Req) => string, what: string, skip?: (req: Req) => boolean) => {
    const s = store(name);
    return rateLimit({
      windowMs,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: key,
      ...(skip ? { skip } : {}),
      ...(s ? { store: s } : {}),
      // a counter store that is down must not open the door: refuse rather than pass
      passOnStoreError: false,
      handler: (req, res, next) => {
        const reset = (req as Req & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : config.RATE_LIMIT_WINDOW_SECONDS;
        res.set('retry-after', String(seconds));
        next(new AppError('RATE_LIMITED', `too many ${what}: try again in ${seconds} s`, undefined, { retryAt: new Date(Date.now() + seconds * 1000).toISOString() }));
      },
    });
  };
  const ip = (req: Req) => ipKeyGenerator(req.ip ?? 'unknown');
  const account = (req: Req) => {
    const name = (req.body as { username?: unknown } | undefined)?.username;
    return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 64) : `ip:${ip(req)}`;
  };
  const user = (req: Req) => req.identity?.userId ?? `ip:${ip(req)}`;
  return {
    loginPerIp: limiter('login-ip', config.RATE_LIMIT_LOGIN_PER_IP, ip, 'login attempts from this address'),
    loginPerAccount: limiter('login-account', config.RATE_LIMIT_LOGIN_PER_ACCOUNT, account, 'login attempts for this account'),
    writesPerUser: limiter('writes', config.RATE_LIMIT_WRITES_PER_USER, user, 'changes in a short time', (req) => req.method === 'GET' || req.method === 'HEAD'),
    urgesPerUser: limiter('urges', config.RATE_LIMIT_URGES_PER_USER, user, 'urgings in a short time'),
    publicPerClient: limiter('public-ip', config.RATE_LIMIT_PUBLIC_PER_CLIENT, ip, 'status queries from this address'),
    publicPerCase: limiter('public-case', config.RATE_LIMIT_PUBLIC_PER_CASE, (req) => `case:${String(req.params.caseNo ?? '').trim().toUpperCase().slice(0, 32)}`, 'status queries for this case'),
    close: async () => {
      await redis?.quit().catch(() => undefined);
    },
  };
}
