import { describe, expect, it } from 'vitest';
import { isLauncher } from '../../src/cli/parentWatch.js';

describe('which ancestors are launchers (watched: when one goes, the agent stops)', () => {
  it('npm and npx by process title or script, tsx CLI, sh -c', () => {
    for (const cmd of [
      'npm start --port 0 --simulated',
      'npm exec rangekeeper start',
      'npx rangekeeper start',
      'node /usr/lib/node_modules/npm/bin/npm-cli.js start',
      '/usr/bin/node /usr/lib/node_modules/npm/bin/npx-cli.js rangekeeper',
      'node /app/node_modules/.bin/tsx src/cli.ts start',
      'node /app/node_modules/tsx/dist/cli.mjs src/cli.ts start',
      "sh -c 'rangekeeper' start --port 0",
      '/bin/sh -c tsx src/cli.ts start',
      'bash -c npm start',
    ]) expect(isLauncher(cmd), cmd).toBe(true);
  });

  it('not a login shell, a supervisor, an init or an unrelated node program', () => {
    for (const cmd of ['-bash', 'bash', '/bin/zsh -l', '/sbin/init', '/usr/lib/systemd/systemd --user', 'docker-init -- node bin/rangekeeper.mjs', 'node /work/node_modules/vitest/dist/workers/forks.js', 'tini -- npm start', '']) {
      expect(isLauncher(cmd), cmd).toBe(false);
    }
  });
});
