import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { numberOption } from '../../src/cli/numberOption.js';
import { CliUsageError } from '../../src/cli/usageError.js';

const bin = new URL('../../bin/rangekeeper.mjs', import.meta.url).pathname;

describe('numeric options', () => {
  it('are undefined when absent and the number when valid', () => {
    expect(numberOption('seed', undefined, Number.isInteger, 'an integer')).toBeUndefined();
    expect(numberOption('seed', '42', Number.isInteger, 'an integer')).toBe(42);
    expect(numberOption('tick-ms', '10', (n) => n >= 10, '>= 10')).toBe(10);
  });

  it('refuse an empty, non-numeric or out-of-range value with a usage error naming the option', () => {
    for (const raw of ['', ' ', 'abc', 'NaN', 'Infinity', '1.5']) {
      expect(() => numberOption('seed', raw, Number.isInteger, 'an integer')).toThrow(CliUsageError);
    }
    expect(() => numberOption('tick-ms', '9', (n) => n >= 10, '>= 10')).toThrow('--tick-ms must be >= 10, got "9"');
  });

  it('make `rangekeeper run --seed abc` exit 2 before loading anything', () => {
    const r = spawnSync(process.execPath, [bin, 'run', '--config', 'examples/devnet.yaml', '--seed', 'abc'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--seed must be an integer, got "abc"');
  });
});
