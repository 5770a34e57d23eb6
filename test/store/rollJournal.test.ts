/** The saga journal in the real file store: durable across a reopen, and validated when read back. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptSagaRecordError, StoreRollJournal } from '../../src/adapters/chain/saga/rollJournal.js';
import type { SagaRecord } from '../../src/adapters/chain/saga/sagaRecord.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';

const POOL = `0x${'ab'.repeat(32)}`;
const HASH = `0x${'cd'.repeat(32)}`;
const dirs: string[] = [];

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function record(): SagaRecord {
  return {
    id: 'roll-1', kind: 'roll', poolId: POOL, startedAt: 1, status: 'open', note: null,
    walletBefore: { amount0: '1000000000000000000000', amount1: '5' }, target: { tickLower: -600, tickUpper: 600 }, oldTokenId: '7', deposit: null,
    fees: { amount0: '0', amount1: '3' },
    steps: [{ name: 'swap', status: 'sending', nonce: 4, txs: [{ hash: HASH, raw: '0x02f8' }], minedHash: null, extra0: null, extra1: null, tokenId: null }],
  };
}

describe('StoreRollJournal', () => {
  it('reads back what it wrote after the store is closed and reopened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-journal-'));
    dirs.push(dir);
    const a = await FileStore.open(dir);
    await new StoreRollJournal(a).save(record());
    await a.close();
    const b = await FileStore.open(dir);
    expect(await new StoreRollJournal(b).load(POOL)).toEqual(record());
    expect(await new StoreRollJournal(b).load(`0x${'00'.repeat(32)}`)).toBeNull();
    await b.close();
  });

  it('refuses a record that does not validate, naming the bad field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-journal-'));
    dirs.push(dir);
    const store = await FileStore.open(dir);
    await store.put(`agent/sagas/${POOL}`, { ...record(), steps: [{ ...record().steps[0], nonce: -1 }] });
    const err = await new StoreRollJournal(store).load(POOL).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptSagaRecordError);
    expect((err as Error).message).toContain('steps.0.nonce');
    await store.close();
  });
});
