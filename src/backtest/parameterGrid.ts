/**
 * A sweep's parameter grid: each parameter a dotted path into the agent configuration (e.g.
 * `strategy.rebalanceThreshold`, `risk.hedgeRatio`, `hedge.band`, `strategy.annualVolatility`,
 * `pools.0.deposit.amount0`) with the values to try; the grid is their cartesian product. Given as
 * `name=v1,v2,...` on the command line or as a YAML/JSON file mapping each name to a list. Each
 * grid point is the base configuration with those values set, validated by the configuration's
 * own schema (an unknown path is an unrecognized key there).
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export interface GridParameter {
  name: string;
  values: number[];
}

/** A bad grid: the CLI reports it as a usage error (exit 2). */
export class GridError extends Error {
  override readonly name = 'GridError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/** `name=v1,v2,...` */
export function parseParamFlag(flag: string): GridParameter {
  const eq = flag.indexOf('=');
  const name = eq < 0 ? '' : flag.slice(0, eq).trim();
  if (!NAME.test(name)) throw new GridError(`--param must be name=v1,v2,... with name a dotted config path (e.g. risk.hedgeRatio=0,0.5,1), got "${flag}"`);
  const values = flag.slice(eq + 1).split(',').map((s) => s.trim());
  const nums = values.map(Number);
  const bad = values.findIndex((s, i) => s === '' || !Number.isFinite(nums[i]));
  if (bad >= 0) throw new GridError(`--param ${name}: "${values[bad]}" is not a number`);
  return { name, values: nums };
}

const gridFileSchema = z.record(z.string().regex(NAME, 'must be a dotted config path'), z.array(z.number()).min(1));

/** A YAML or JSON file `{ name: [values] }`. */
export async function readGridFile(file: string): Promise<GridParameter[]> {
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new GridError(`${file}: ${(err as Error).message.split('\n', 1)[0]}`);
  }
  const r = gridFileSchema.safeParse(raw);
  if (!r.success) throw new GridError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  return Object.entries(r.data).map(([name, values]) => ({ name, values }));
}

/** The cartesian product, first parameter slowest. */
export function gridPoints(params: readonly GridParameter[]): Record<string, number>[] {
  const names = new Set<string>();
  for (const p of params) {
    if (names.has(p.name)) throw new GridError(`parameter ${p.name} is given twice`);
    names.add(p.name);
  }
  let points: Record<string, number>[] = [{}];
  for (const p of params) points = points.flatMap((pt) => p.values.map((v) => ({ ...pt, [p.name]: v })));
  return points;
}

/** A deep copy of `raw` with `value` at the dotted `path` (objects created on the way; a numeric segment indexes an array). */
export function withValue(raw: unknown, path: string, value: number): unknown {
  const [head, ...rest] = path.split('.');
  const key = head!;
  const isIndex = /^\d+$/.test(key);
  const container: Record<string, unknown> | unknown[] = Array.isArray(raw) ? [...raw] : typeof raw === 'object' && raw !== null ? { ...(raw as Record<string, unknown>) } : isIndex ? [] : {};
  const get = (c: Record<string, unknown> | unknown[]): unknown => (Array.isArray(c) ? c[Number(key)] : c[key]);
  const next = rest.length === 0 ? value : withValue(get(container), rest.join('.'), value);
  if (Array.isArray(container)) container[Number(key)] = next;
  else container[key] = next;
  return container;
}
