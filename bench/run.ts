/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every suite in bench/suites.ts in turn.
 * Each suite measures our code and, where one exists, a reference doing the same work, in the
 * same process and the same run, so the ratio means something on whatever machine runs it.
 */
import { parseArgs } from 'node:util';
import { printJson, printTable, type BenchResult } from './harness.js';
import { suites } from './suites.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } } });
const all: BenchResult[] = [];
for (const suite of suites) {
  if (values.only !== undefined && !suite.name.includes(values.only)) continue;
  if (!values.json) console.error(`# ${suite.name}`);
  const rows = await suite.run((r) => {
    if (values.json) printJson(r);
  });
  all.push(...rows);
}
if (!values.json) printTable(all);
