/**
 * Writes and reads the result files of `rangekeeper compare` and `rangekeeper sweep`
 * (researchResultSchema.ts): `<dir>/compare-<testId>.json` and `<dir>/sweep-<sweepId>.json`.
 * A write goes to a temporary name first and is renamed, so a reader never sees half a file.
 * Reading validates every file; a file that does not parse is reported, not skipped silently.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { researchResultSchema, type ResearchResult } from './researchResultSchema.js';

/** The file name a result is stored under. */
export function resultFileName(r: ResearchResult): string {
  return r.kind === 'compare' ? `compare-${r.testId}.json` : `sweep-${r.sweepId}.json`;
}

/** Validates and writes `r` into `dir` (created if missing); returns the file's path. */
export async function writeResearchResult(dir: string, r: ResearchResult): Promise<string> {
  const parsed = researchResultSchema.parse(r);
  await mkdir(dir, { recursive: true });
  const path = join(dir, resultFileName(parsed));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(parsed, null, 1) + '\n');
  await rename(tmp, path);
  return path;
}

/** A stored result, or why its file could not be read. */
export type StoredResult = { file: string; result: ResearchResult } | { file: string; error: string };

/** Every `compare-*.json` / `sweep-*.json` in `dir`, newest first; an absent directory holds none. */
export async function readResearchResults(dir: string): Promise<StoredResult[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: StoredResult[] = [];
  for (const name of names.filter((n) => /^(compare|sweep)-.+\.json$/.test(n))) {
    const file = join(dir, name);
    try {
      const parsed = researchResultSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      out.push(parsed.success ? { file, result: parsed.data } : { file, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch (err) {
      out.push({ file, error: (err as Error).message });
    }
  }
  const time = (s: StoredResult): number => ('result' in s ? s.result.timestamp : -Infinity);
  return out.sort((a, b) => time(b) - time(a));
}
