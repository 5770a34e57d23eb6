/**
 * The API's routes, each declared once with its zod schemas: the schemas validate what comes in
 * (400 with the bad fields), describe what goes out, and make the OpenAPI document served at
 * /docs (openApiDocument.ts). A module adds its routes with `api.route(app, spec, handler)`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldIssues } from '../../config/fieldIssues.js';
import type { RouteAccess } from '../access/apiAccess.js';

/** The error answer of every route. */
export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export interface ResponseSpec {
  description: string;
  /** The body's schema (absent: not JSON, e.g. the metrics text). */
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST';
  /** fastify's pattern: /api/v1/user/:address/portfolio */
  url: string;
  access: RouteAccess;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** The JSON body (POST); an absent body is parsed as {}. */
  body?: z.ZodType<B>;
  responses: Record<number, ResponseSpec>;
  /** The route's own fastify options (e.g. websocket: true); handler then is fastify's own. */
  websocket?: boolean;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** The routes registered so far (the OpenAPI document is made from them). */
export class ApiRoutes {
  readonly specs: RouteSpec[] = [];

  /** Declares a route whose description is `spec` and registers it on `app`. */
  route<P, Q, B>(app: FastifyInstance, spec: RouteSpec<P, Q, B>, handler: (input: RouteInput<P, Q, B>) => Promise<unknown>): void {
    this.specs.push(spec as RouteSpec);
    app.route({
      method: spec.method,
      url: spec.url,
      config: { access: spec.access },
      handler: async (req, reply) => {
        const params = parse(spec.params, req.params, 'invalid-params');
        const query = parse(spec.query, req.query, 'invalid-query');
        const body = parse(spec.body, req.body ?? {}, 'invalid-body');
        if (!params.ok) return reply.code(400).send({ error: params.error, issues: params.issues });
        if (!query.ok) return reply.code(400).send({ error: query.error, issues: query.issues });
        if (!body.ok) return reply.code(400).send({ error: body.error, issues: body.issues });
        const out = await handler({ params: params.value as P, query: query.value as Q, body: body.value as B, req, reply });
        return reply.sent ? reply : reply.send(out);
      },
    });
  }

  /** Declares a route registered by its own module (the WebSocket feed, the metrics), for the document only. */
  describe(spec: RouteSpec): void {
    this.specs.push(spec);
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string; issues: ReturnType<typeof fieldIssues> };

function parse(schema: z.ZodType | undefined, value: unknown, error: string): Parsed {
  if (schema === undefined) return { ok: true, value: undefined };
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, error, issues: fieldIssues(r.error) };
}
