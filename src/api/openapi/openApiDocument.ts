/**
 * The OpenAPI 3.1 document of the API, made from the routes' zod schemas (z.toJSONSchema): each
 * operation's parameters, request body and answers, the role it needs (x-required-role, and in its
 * description) and the bearer scheme every route but the public ones uses.
 */
import { z } from 'zod';
import type { RouteSpec } from './apiRoutes.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

/** Path and query parameters of an object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (schema === undefined) return [];
  const js = jsonSchema(schema, 'input');
  const props = (js['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((js['required'] ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name, in: where, required: where === 'path' || required.has(name), schema: s,
    ...(typeof s['description'] === 'string' ? { description: s['description'] } : {}),
  }));
}

const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string; description: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const s of specs) {
    const path = openApiPath(s.url);
    const responses: Record<string, Json> = {};
    for (const [code, r] of Object.entries(s.responses)) {
      responses[code] = {
        description: r.description,
        ...(r.schema === undefined ? (r.contentType === undefined ? {} : { content: { [r.contentType]: { schema: { type: 'string' } } } }) : { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } }),
      };
    }
    const role = s.access === 'public' ? 'none (public)' : s.access;
    (paths[path] ??= {})[s.method.toLowerCase()] = {
      summary: s.summary,
      description: `${s.description ?? s.summary}\n\nRole: ${role}.`,
      tags: [s.tag],
      'x-required-role': s.access,
      security: s.access === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(s.params, 'path'), ...parameters(s.query, 'query')],
      ...(s.body === undefined ? {} : { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(s.body, 'input') } } } }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (rangekeeper api-token add --role viewer|manager|admin)' } } },
    paths,
  };
}
