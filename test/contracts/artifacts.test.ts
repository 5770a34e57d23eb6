/**
 * The committed contract artifacts (contracts/artifacts/*.json, what the devnet deploys) are
 * exactly what the pinned solc-js makes of contracts/ today: a source edited without
 * `npm run contracts:build` fails here. Also: every runtime fits the 24,576-byte limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, artifactJson, BUILT_CONTRACTS, compileContracts } from '../../scripts/contracts/solidityBuild.js';

describe('contract artifacts', () => {
  it('match a fresh compile byte for byte and fit the EIP-170 size limit', () => {
    const fresh = compileContracts();
    expect([...fresh.keys()].sort()).toEqual(BUILT_CONTRACTS.map((c) => c.name).sort());
    for (const [name, artifact] of fresh) {
      const committed = readFileSync(join(ARTIFACTS_DIR, `${name}.json`), 'utf8');
      expect(committed, `${name}: run npm run contracts:build`).toBe(artifactJson(artifact));
      expect((artifact.deployedBytecode.length - 2) / 2, `${name} runtime size`).toBeLessThanOrEqual(24_576);
    }
  }, 180_000);
});
