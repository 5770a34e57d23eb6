/**
 * The API's documentation: GET /docs/openapi.json (the OpenAPI 3.1 document made from the routes'
 * zod schemas) and GET /docs (a plain page listing every route with its role, linking the JSON).
 * Both need a viewer token like every other route; nothing is fetched from elsewhere.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiRoutes } from './apiRoutes.js';
import { openApiDocument } from './openApiDocument.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerDocsRoutes(app: FastifyInstance, api: ApiRoutes): void {
  const info = { title: 'rangekeeper agent API', version: 'v1', description: 'Every route but /health needs "Authorization: Bearer <token>" (rangekeeper api-token add --role viewer|manager|admin).' };
  api.describe({
    method: 'GET', url: '/docs/openapi.json', access: 'viewer', tag: 'server', summary: 'This OpenAPI document',
    responses: { 200: { description: 'the OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
  });
  api.describe({
    method: 'GET', url: '/docs', access: 'viewer', tag: 'server', summary: 'A page listing every route with its role',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
  });
  let doc: Record<string, unknown> | null = null;
  const document = (): Record<string, unknown> => (doc ??= openApiDocument(api.specs, info));
  app.get('/docs/openapi.json', { config: { access: 'viewer' } }, async () => document());
  app.get('/docs', { config: { access: 'viewer' } }, async (_req, reply) => {
    const rows = api.specs.map((s) => `<tr><td>${s.method}</td><td><code>${escapeHtml(s.url)}</code></td><td>${s.access}</td><td>${escapeHtml(s.summary)}</td></tr>`).join('\n');
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${info.title}</title></head><body>
<h1>${info.title} ${escapeHtml(info.version)}</h1><p>${escapeHtml(info.description)} The OpenAPI document: <a href="/docs/openapi.json">/docs/openapi.json</a>.</p>
<table border="1" cellpadding="4"><tr><th>method</th><th>path</th><th>role</th><th>what</th></tr>
${rows}
</table></body></html>`;
    return reply.header('content-type', 'text/html; charset=utf-8').send(html);
  });
}
