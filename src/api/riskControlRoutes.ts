/**
 * Authorized manual halt and resume over HTTP:
 *
 *   POST /api/v1/risk/halt    {"reason": "...", "wait"?: true, "waitMs"?: n}
 *        -> 200 {status, reason, haltedBy, haltedAt, ..., inFlightAtHalt, inFlight, effective}
 *           (202 when it waited and work was still in flight at the end of the wait)
 *   GET  /api/v1/risk/halt/status -> 200 {status, reason, halted, inFlight, effective}
 *   POST /api/v1/risk/resume  {} or no body       -> 200 {status, reason, ...} (the risk state)
 *
 * `inFlightAtHalt` is the gated work (chain mint/roll/withdraw, orders) that was running when the
 * halt closed the gate, `inFlight` what is running when the answer is sent; `effective` is true
 * once nothing is (nothing new that adds risk can start while halted). With `wait: true` the
 * answer comes once nothing is in flight, or after `waitMs` (default: the server's haltWaitMs).
 *
 * All require `Authorization: Bearer <token>` where the token is the operator's
 * RANGEKEEPER_API_TOKEN. Without a configured token the endpoints are disabled (403 saying so);
 * a missing or wrong token is 401. Bodies are validated with zod (400 with the bad paths).
 * Failed authorization is rate limited per client address (@fastify/rate-limit, 429 beyond
 * the limit, across these routes); a request with the valid token is never rate limited, so
 * others' failures from the same address cannot keep the operator from halting.
 */
import { timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldIssues } from '../config/fieldIssues.js';
import type { Logger } from '../logging/logger.js';
import { toJsonSafe } from '../actors/core/stateFeed.js';
import type { InFlight, InFlightWork } from '../actors/core/inFlight.js';

/** The part of the agent these routes drive (Agent implements it). */
export interface RiskControl {
  halt(reason: string, by: string): Promise<object>;
  resume(by: string): Promise<object>;
  risk(): Promise<{ status: string; reason: string | null }>;
  readonly killSwitch: { readonly inFlight: Pick<InFlight, 'list' | 'idle'> };
}

export interface RiskControlOptions {
  control: RiskControl;
  /** Bearer token; undefined or empty disables the endpoints (403). */
  apiToken: string | undefined;
  log: Logger;
  /** Requests with a missing or wrong token per client address per window, across the routes (default 10 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** How long a halt with `wait: true` waits unless its body says (default 30 s). */
  haltWaitMs?: number;
}

/** Longest wait a halt request may ask for. */
export const MAX_HALT_WAIT_MS = 120_000;

export const HaltBodySchema = z.object({
  /** Why the operator halts; recorded in the risk state and the logs. */
  reason: z.string().trim().min(1, 'required').max(500),
  /** Answer only once no gated work is in flight (or after waitMs). */
  wait: z.boolean().default(false),
  waitMs: z.number().int().min(1).max(MAX_HALT_WAIT_MS).optional(),
}).strict();

export const ResumeBodySchema = z.object({}).strict();

/** One in-flight item as answered: what, where, since when. */
function describe(w: InFlightWork, now: number): Record<string, unknown> {
  return { kind: w.kind, target: w.target, detail: w.detail, startedAt: w.startedAt, runningMs: Math.max(0, now - w.startedAt) };
}

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

/** Registers the risk routes (and the failed-authorization limiter they use) on `app`. */
export async function registerRiskControlRoutes(app: FastifyInstance, opts: RiskControlOptions): Promise<void> {
  const token = opts.apiToken !== undefined && opts.apiToken.trim() !== '' ? opts.apiToken.trim() : null;
  const limit = opts.rateLimit ?? { max: 10, timeWindowMs: 60_000 };
  const defaultWaitMs = Math.min(opts.haltWaitMs ?? 30_000, MAX_HALT_WAIT_MS);
  const inFlight = opts.control.killSwitch.inFlight;
  const hasValidToken = (req: FastifyRequest): boolean => {
    if (token === null) return false;
    const given = bearerToken(req.headers.authorization);
    return given !== null && sameToken(given, token);
  };
  await app.register(rateLimit, { global: false });
  // One limiter for all the routes (one count per address), counting failures only: a request
  // carrying the valid token is exempt, whoever else fails from its address.
  const routeConfig = {
    onRequest: app.rateLimit({ max: limit.max, timeWindow: limit.timeWindowMs, allowList: (req: FastifyRequest) => hasValidToken(req) }),
  };

  /** Answers 403/401 and returns false when the request may not act. */
  const authorized = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (token === null) {
      void reply.code(403).send({ error: 'disabled', message: 'manual halt/resume over HTTP is disabled: set RANGEKEEPER_API_TOKEN to enable it' });
      return false;
    }
    if (!hasValidToken(req)) {
      opts.log.warn({ ip: req.ip, url: req.url, hadToken: req.headers.authorization !== undefined }, 'risk control: unauthorized request refused');
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
    const { reason, wait } = body.data;
    opts.log.warn({ reason, ip: req.ip, wait }, 'risk control: manual halt requested over HTTP');
    // control.halt closes the gate before its first await: this is what was running at that moment
    const atHalt = inFlight.list();
    const state = await opts.control.halt(reason, 'api');
    let running = inFlight.list();
    if (wait && running.length > 0) {
      const waitMs = body.data.waitMs ?? defaultWaitMs;
      // the connection stays quiet while we wait: keep the idle-connection timeout from cutting it
      reply.raw.setTimeout(waitMs + 10_000);
      running = await inFlight.idle(waitMs);
    }
    const now = Date.now();
    const effective = running.length === 0;
    if (!effective) opts.log.warn({ inFlight: running.map((w) => describe(w, now)) }, 'risk control: halted with work still in flight');
    return reply.code(wait && !effective ? 202 : 200).send({
      ...(toJsonSafe(state) as object),
      inFlightAtHalt: atHalt.map((w) => describe(w, now)),
      inFlight: running.map((w) => describe(w, now)),
      effective,
    });
  });

  app.get('/api/v1/risk/halt/status', routeConfig, async (req, reply) => {
    if (!authorized(req, reply)) return reply;
    const risk = await opts.control.risk();
    const now = Date.now();
    const running = inFlight.list();
    const halted = risk.status === 'halted';
    return reply.send({ status: risk.status, reason: risk.reason, halted, inFlight: running.map((w) => describe(w, now)), effective: halted && running.length === 0 });
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
