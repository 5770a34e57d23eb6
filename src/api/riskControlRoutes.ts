/**
 * Authorized manual halt and resume over HTTP:
 *
 *   POST /api/v1/risk/halt    {"reason": "..."}   -> 200 {status, reason, by, at} (the risk state)
 *   POST /api/v1/risk/resume  {} or no body       -> 200 {status, reason, by, at}
 *
 * Both require `Authorization: Bearer <token>` where the token is the operator's
 * RANGEKEEPER_API_TOKEN. Without a configured token the endpoints are disabled (403 saying so);
 * a missing or wrong token is 401. Bodies are validated with zod (400 with the bad paths), and
 * each route is rate limited (@fastify/rate-limit, per client address).
 */
import { timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldIssues } from '../config/fieldIssues.js';
import type { Logger } from '../logging/logger.js';
import { toJsonSafe } from '../actors/core/stateFeed.js';

/** The part of the agent these routes drive (Agent implements it). */
export interface RiskControl {
  halt(reason: string, by: string): Promise<object>;
  resume(by: string): Promise<object>;
}

export interface RiskControlOptions {
  control: RiskControl;
  /** Bearer token; undefined or empty disables the endpoints (403). */
  apiToken: string | undefined;
  log: Logger;
  /** Requests per client per window on each route (default 10 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
}

export const HaltBodySchema = z.object({
  /** Why the operator halts; recorded in the risk state and the logs. */
  reason: z.string().trim().min(1, 'required').max(500),
}).strict();

export const ResumeBodySchema = z.object({}).strict();

/** The token an `Authorization: Bearer X` header carries, or null. */
function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m === null ? null : m[1]!;
}

/** Constant-time comparison of two tokens. */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Registers the halt/resume routes (and the rate limiter they use) on `app`. */
export async function registerRiskControlRoutes(app: FastifyInstance, opts: RiskControlOptions): Promise<void> {
  const token = opts.apiToken !== undefined && opts.apiToken.trim() !== '' ? opts.apiToken.trim() : null;
  const limit = opts.rateLimit ?? { max: 10, timeWindowMs: 60_000 };
  await app.register(rateLimit, { global: false });
  const routeConfig = { config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } };

  /** Answers 403/401 and returns false when the request may not act. */
  const authorized = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (token === null) {
      void reply.code(403).send({ error: 'disabled', message: 'manual halt/resume over HTTP is disabled: set RANGEKEEPER_API_TOKEN to enable it' });
      return false;
    }
    const given = bearerToken(req.headers.authorization);
    if (given === null || !sameToken(given, token)) {
      opts.log.warn({ ip: req.ip, url: req.url, hadToken: given !== null }, 'risk control: unauthorized request refused');
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid "Authorization: Bearer <RANGEKEEPER_API_TOKEN>" header is required' });
      return false;
    }
    return true;
  };

  const invalid = (reply: FastifyReply, err: z.ZodError): FastifyReply =>
    reply.code(400).send({ error: 'invalid-body', issues: fieldIssues(err) });

  app.post('/api/v1/risk/halt', routeConfig, async (req, reply) => {
    if (!authorized(req, reply)) return reply;
    const body = HaltBodySchema.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    opts.log.warn({ reason: body.data.reason, ip: req.ip }, 'risk control: manual halt requested over HTTP');
    const state = await opts.control.halt(body.data.reason, 'api');
    return reply.send(toJsonSafe(state));
  });

  app.post('/api/v1/risk/resume', routeConfig, async (req, reply) => {
    if (!authorized(req, reply)) return reply;
    const body = ResumeBodySchema.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    opts.log.warn({ ip: req.ip }, 'risk control: manual resume requested over HTTP');
    const state = await opts.control.resume('api');
    return reply.send(toJsonSafe(state));
  });
}
