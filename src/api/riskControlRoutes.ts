/**
 * Manual halt and resume over HTTP (admin), and the halt's status (viewer):
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
 * Tokens, roles, rate limits and the audit are the access layer's (access/apiAccess.ts); bodies
 * are validated with zod (400 with the bad paths).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import { apiErrorSchema, type ApiRoutes } from './openapi/apiRoutes.js';
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
  log: Logger;
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

const inFlightSchema = z.object({ kind: z.string(), target: z.string(), detail: z.string(), startedAt: z.number(), runningMs: z.number() });
/** The risk supervisor's state as published (the main fields; the rest passes through). */
export const riskStateSchema = z.looseObject({
  status: z.enum(['running', 'halted']),
  reason: z.string().nullable(),
  haltedAt: z.number().nullable().optional(),
  haltedBy: z.string().nullable().optional(),
  equityUsd: z.number().optional(),
  peakEquityUsd: z.number().optional(),
  drawdown: z.number().optional(),
  exposure: z.number().optional(),
  pnlPercent: z.number().optional(),
});
const haltAnswerSchema = riskStateSchema.extend({ inFlightAtHalt: z.array(inFlightSchema), inFlight: z.array(inFlightSchema), effective: z.boolean() });
const haltStatusSchema = z.object({ status: z.string(), reason: z.string().nullable(), halted: z.boolean(), inFlight: z.array(inFlightSchema), effective: z.boolean() });

/** Registers the risk routes on `app`. */
export function registerRiskControlRoutes(app: FastifyInstance, api: ApiRoutes, opts: RiskControlOptions): void {
  const defaultWaitMs = Math.min(opts.haltWaitMs ?? 30_000, MAX_HALT_WAIT_MS);
  const inFlight = opts.control.killSwitch.inFlight;
  const refusals = { 400: { description: 'invalid body', schema: apiErrorSchema }, 401: { description: 'no valid token', schema: apiErrorSchema }, 403: { description: 'the token\'s role is not enough', schema: apiErrorSchema }, 429: { description: 'rate limited', schema: apiErrorSchema } };

  api.route(app, {
    method: 'POST', url: '/api/v1/risk/halt', access: 'admin', tag: 'risk', body: HaltBodySchema,
    summary: 'Halt the agent (kill switch): no new roll or order, open orders cancelled',
    description: 'Halts the agent. With wait: true the answer comes once no gated work is in flight (200, effective: true) or after waitMs (202 with what still runs).',
    responses: { 200: { description: 'halted', schema: haltAnswerSchema }, 202: { description: 'halted; work still in flight when the wait ran out', schema: haltAnswerSchema }, ...refusals },
  }, async ({ body, req, reply }) => {
    const { reason, wait } = body;
    opts.log.warn({ reason, ip: req.ip, wait, tokenId: req.principal?.tokenId }, 'risk control: manual halt requested over HTTP');
    // control.halt closes the gate before its first await: this is what was running at that moment
    const atHalt = inFlight.list();
    const state = await opts.control.halt(reason, `api:${req.principal?.tokenId ?? '?'}`);
    let running = inFlight.list();
    if (wait && running.length > 0) {
      const waitMs = body.waitMs ?? defaultWaitMs;
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

  api.route(app, {
    method: 'GET', url: '/api/v1/risk/halt/status', access: 'viewer', tag: 'risk',
    summary: 'Whether the agent is halted and whether the halt is effective (nothing gated in flight)',
    responses: { 200: { description: 'the halt status', schema: haltStatusSchema }, ...refusals },
  }, async () => {
    const risk = await opts.control.risk();
    const now = Date.now();
    const running = inFlight.list();
    const halted = risk.status === 'halted';
    return { status: risk.status, reason: risk.reason, halted, inFlight: running.map((w) => describe(w, now)), effective: halted && running.length === 0 };
  });

  api.route(app, {
    method: 'POST', url: '/api/v1/risk/resume', access: 'admin', tag: 'risk', body: ResumeBodySchema,
    summary: 'Lift a halt',
    responses: { 200: { description: 'the risk state after the resume', schema: riskStateSchema }, ...refusals },
  }, async ({ req }) => {
    opts.log.warn({ ip: req.ip, tokenId: req.principal?.tokenId }, 'risk control: manual resume requested over HTTP');
    return toJsonSafe(await opts.control.resume(`api:${req.principal?.tokenId ?? '?'}`));
  });
}
