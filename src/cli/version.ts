import { readFileSync } from 'node:fs';

/** Prints rangekeeper's version from package.json. */
export async function run(_args: string[]): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  console.log(pkg.version);
  return 0;
}
