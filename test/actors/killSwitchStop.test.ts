import { describe, expect, it } from 'vitest';
import { HaltedError, KillSwitch } from '../../src/actors/core/killSwitch.js';

describe('KillSwitch.stopTrading (the agent stops)', () => {
  it('refuses every risk-adding call and every unwind, without being a halt', () => {
    const ks = new KillSwitch();
    ks.halt('operator', { withdraw: true, flatten: true });
    expect(() => ks.check('order rk-1', true)).not.toThrow(); // the halt's own unwind passes
    ks.stopTrading('agent stopping');
    expect(() => ks.check('order rk-2', true)).toThrow(HaltedError);
    expect(() => ks.check('roll 0x01')).toThrow('halted (agent stopping): roll 0x01 refused');
    ks.resume();
    expect(ks.halted).toBe(false);
    expect(ks.stopped).toBe(true);
    expect(() => ks.check('mint 0x01')).toThrow(HaltedError);
  });
});
