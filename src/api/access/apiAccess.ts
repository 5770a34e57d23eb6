/**
 * Who may call what on the agent's HTTP server, and how often. Every route declares its access in
 * its config (`config: { access: 'viewer' | 'manager' | 'admin' | 'public' }`; a route that does
 * not say is a viewer route): every route but the public ones (/health) needs a token, the
 * WebSocket feed included (see requestToken.ts for where a token may be carried).
 *
 * - No valid token: 401 before the body is read. Such requests are limited per client address
 *   (failedAuthMax per failedAuthWindowMs, 429 beyond), and a request with a valid token is never
 *   counted there: others' failures from the same address cannot lock out the operator.
 * - A valid token: limited per token (tokenRequestsMax per tokenWindowMs, 429 beyond); a role
 *   below the route's: 403 (after the body is read, so the audit has it).
 * - Public routes: limited per address (publicRequestsMax per tokenWindowMs).
 * - Every write (a matched non-GET route) and every refused request (401, 403, 429) goes to the
 *   audit trail with who, what, body, result and when.
 *
 * RANGEKEEPER_API_TOKEN, the single token of earlier versions, still works: it acts as an admin
 * token named `env` (the start-up log says so and how to move to named tokens).
 */
import { timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../logging/logger.js';
import type { ServerLimits } from '../serverLimits.js';
import { roleAllows, type ApiPrincipal, type ApiRole } from './apiRoles.js';
import { auditJson, payloadJson, type AuditSink } from './auditTrail.js';
import { requestToken } from './requestToken.js';

/** Who may call a route: anyone, or a token of at least this role. */
export type RouteAccess = 'public' | ApiRole;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The request's valid token (null: none). Set before any route hook runs. */
    principal: ApiPrincipal | null;
  }
}

/** Checks a presented token. */
export interface TokenVerifier {
  verify(token: string): Promise<ApiPrincipal | null>;
}

export interface ApiAccessOptions {
  /** The agent's stored tokens (null: only the legacy token, if any). */
  tokens: TokenVerifier | null;
  /** RANGEKEEPER_API_TOKEN: accepted as an admin token with id `env`. */
  legacyToken?: string | undefined;
  limits: Pick<ServerLimits, 'failedAuthMax' | 'failedAuthWindowMs' | 'tokenRequestsMax' | 'tokenWindowMs' | 'publicRequestsMax'>;
  audit: AuditSink;
  log: Logger;
  /** The clock audit records are stamped with (default: the wall clock). */
  now?: () => number;
}

export const LEGACY_TOKEN_ID = 'env';

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The access a request's route asks (an unmatched request: public, it gets its 404). */
export function routeAccess(req: FastifyRequest): RouteAccess {
  if (req.routeOptions.url === undefined) return 'public';
  return req.routeOptions.config.access ?? 'viewer';
}

function outcomeOf(status: number): string {
  if (status === 401 || status === 403 || status === 429) return 'refused';
  if (status === 409) return 'rejected';
  if (status === 400 || status === 404 || status === 422) return 'invalid';
  return status < 400 ? 'ok' : 'failed';
}

/** Installs authentication, authorization, the rate limits and the audit on `app` (before its routes). */
export async function installApiAccess(app: FastifyInstance, o: ApiAccessOptions): Promise<void> {
  const now = o.now ?? Date.now;
  const legacy = o.legacyToken !== undefined && o.legacyToken.trim() !== '' ? o.legacyToken.trim() : null;
  await app.register(rateLimit, { global: false });
  const limited = { max: 0, timeWindow: o.limits.tokenWindowMs };
  const failures = app.createRateLimit({ ...limited, max: o.limits.failedAuthMax, timeWindow: o.limits.failedAuthWindowMs, keyGenerator: (req) => `failed:${req.ip}` });
  const perToken = app.createRateLimit({ ...limited, max: o.limits.tokenRequestsMax, keyGenerator: (req) => `token:${req.principal?.tokenId ?? ''}` });
  const perAddress = app.createRateLimit({ ...limited, max: o.limits.publicRequestsMax, keyGenerator: (req) => `public:${req.ip}` });
  app.decorateRequest('principal', null);

  const authenticate = async (token: string): Promise<ApiPrincipal | null> => {
    if (legacy !== null && sameText(token, legacy)) return { tokenId: LEGACY_TOKEN_ID, role: 'admin', label: 'RANGEKEEPER_API_TOKEN' };
    if (o.tokens === null) return null;
    try {
      return await o.tokens.verify(token);
    } catch (err) {
      o.log.warn({ err }, 'api: the token store could not be read; the request is treated as unauthenticated');
      return null;
    }
  };

  const tooMany = (reply: FastifyReply, ttlMs: number, why: string): FastifyReply => {
    const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
    return reply.code(429).header('retry-after', String(seconds)).send({ error: 'rate-limited', message: `${why}; retry in ${seconds} s` });
  };

  app.addHook('onRequest', async (req, reply) => {
    const access = routeAccess(req);
    const token = requestToken(req.headers);
    req.principal = token === null ? null : await authenticate(token);
    if (access === 'public') {
      const r = await perAddress(req);
      if (!r.isAllowed && r.isExceeded) return tooMany(reply, r.ttl, 'too many requests from this address');
      return;
    }
    if (req.principal === null) {
      const r = await failures(req);
      if (!r.isAllowed && r.isExceeded) return tooMany(reply, r.ttl, 'too many requests without a valid token from this address');
      return reply.code(401).header('www-authenticate', 'Bearer').send({
        error: 'unauthorized',
        message: token === null
          ? 'this route needs an API token: "Authorization: Bearer <token>" (create one with rangekeeper api-token add --role viewer)'
          : 'the API token is not valid (unknown, revoked or malformed)',
      });
    }
    const r = await perToken(req);
    if (!r.isAllowed && r.isExceeded) return tooMany(reply, r.ttl, `token ${req.principal.tokenId} is over its rate limit (${o.limits.tokenRequestsMax} per ${o.limits.tokenWindowMs / 1000} s)`);
    return undefined;
  });

  app.addHook('preHandler', async (req, reply) => {
    const access = routeAccess(req);
    if (access === 'public' || req.principal === null || roleAllows(req.principal.role, access)) return undefined;
    return reply.code(403).send({ error: 'forbidden', message: `this route needs the ${access} role; token ${req.principal.tokenId} is ${req.principal.role}` });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const status = reply.statusCode;
    const matched = req.routeOptions.url !== undefined;
    const write = matched && !READ_METHODS.has(req.method);
    const refused = status === 401 || status === 403 || status === 429;
    if (!write && !refused) return payload;
    o.audit.record({
      at: now(),
      tokenId: req.principal?.tokenId ?? null,
      role: req.principal?.role ?? null,
      ip: req.ip,
      method: req.method.slice(0, 16),
      route: (req.routeOptions.url ?? req.url.split('?')[0] ?? '').slice(0, 200),
      body: auditJson(req.body),
      status,
      outcome: outcomeOf(status),
      result: payloadJson(payload),
    });
    return payload;
  });
}
