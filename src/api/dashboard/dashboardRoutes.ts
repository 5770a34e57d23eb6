/**
 * The operator's dashboard: one page at `/` (plain JS modules and CSS from ./page, the charts by
 * uPlot from node_modules), read once at start and served from memory. Nothing is fetched from
 * the internet: the page talks only to this server (the /ws feed, the history and halt/resume
 * endpoints).
 *
 *   GET /                              the page
 *   GET /dashboard/<file>.js|.css      its modules and style sheet
 *   GET /dashboard/vendor/uPlot.*      the charting library (uplot's dist files)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where the page's files live (beside this module, in src/api/dashboard/page). */
export const DASHBOARD_PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The page may load only its own files and open a connection only back to this server (the
 * feed included): a script injected into a state string could not send the token elsewhere.
 */
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

interface Asset {
  body: Buffer;
  type: string;
}

/** The files served, by URL path; throws at start when one is missing (never a 404 at run time). */
export function dashboardAssets(pageDir: string = DASHBOARD_PAGE_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(pageDir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(pageDir, name));
    assets.set(name === 'index.html' ? '/' : `/dashboard/${name}`, { body, type });
  }
  if (!assets.has('/')) throw new Error(`dashboard page missing: ${join(pageDir, 'index.html')}`);
  const require = createRequire(import.meta.url);
  const uplotDist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  for (const [file, type] of [['uPlot.iife.min.js', CONTENT_TYPES['.js']!], ['uPlot.min.css', CONTENT_TYPES['.css']!]] as const) {
    assets.set(`/dashboard/vendor/${file}`, { body: readFileSync(join(uplotDist, file)), type });
  }
  return assets;
}

/**
 * The page and its files carry no data and need no token (the page asks the operator for one):
 * public routes for the API's access layer.
 */
const PUBLIC = { config: { access: 'public' as const } };

/** Registers the page's routes on the agent's server. */
export function registerDashboardRoutes(app: FastifyInstance, assets: Map<string, Asset> = dashboardAssets()): void {
  for (const [path, asset] of assets) {
    app.get(path, PUBLIC, async (_req, reply) => reply
      .header('content-type', asset.type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CSP)
      .send(asset.body));
  }
  // the spec's and the README's other name for it
  app.get('/dashboard', PUBLIC, async (_req, reply) => reply.redirect('/', 302));
}
