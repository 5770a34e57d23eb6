/**
 * `npm run contracts:build`: compiles contracts/ with the pinned solc-js and writes
 * contracts/artifacts/<Name>.json (committed; test/contracts/artifacts.test.ts checks they match a
 * fresh compile).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, artifactJson, compileContracts } from './contracts/solidityBuild.js';

const t0 = performance.now();
const artifacts = compileContracts();
mkdirSync(ARTIFACTS_DIR, { recursive: true });
for (const [name, artifact] of artifacts) {
  writeFileSync(join(ARTIFACTS_DIR, `${name}.json`), artifactJson(artifact));
  const runtimeBytes = (artifact.deployedBytecode.length - 2) / 2;
  console.log(`${name}: ${runtimeBytes} bytes deployed (limit 24576)`);
}
console.log(`compiled with solc ${artifacts.values().next().value?.compiler.version ?? '?'} in ${Math.round(performance.now() - t0)} ms`);
