/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every suite in bench/suites.ts in turn.
 * Each suite measures our code and, where one exists, a reference doing the same work, in the
 * same process and the same run, so the ratio means something on whatever machine runs it.
 */
import { parseArgs } from 'node:util';
import { printJson, printTable, type BenchResult } from './harness.js';
import { suites } from './suites.js';

/** Bad flags or an --only that names no suite: one line, exit 2 (an empty table would look like a pass). */
function usageExit(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

let values: { json: boolean; only?: string | undefined };
try {
  values = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } } }).values;
} catch (err) {
  usageExit(err instanceof Error ? err.message.split('.')[0]! : String(err));
}
const only = values.only;
const chosen = suites.filter((s) => only === undefined || s.name.includes(only));
if (chosen.length === 0) usageExit(`--only "${only}" matches no suite (suites: ${suites.map((s) => s.name).join(', ')})`);
const all: BenchResult[] = [];
for (const suite of chosen) {
  if (!values.json) console.error(`# ${suite.name}`);
  const rows = await suite.run((r) => {
    if (values.json) printJson(r);
  });
  all.push(...rows);
}
if (!values.json) printTable(all);
