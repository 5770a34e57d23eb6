// The charts' past: what the agent recorded before the page opened (GET /api/v1/history/<kind>:
// the newest page, drawn oldest first under the live points). Without a history (503), or a
// token that may read it, the charts start with the feed.
import { rangeBounds } from './poolMath.js';
import { authHeaders } from './token.js';

const PAGE = 1000;

async function page(kind, params) {
  const q = new URLSearchParams({ limit: String(PAGE), ...params });
  const res = await fetch(`/api/v1/history/${kind}?${q}`, { headers: authHeaders() });
  if (!res.ok) return [];
  const body = await res.json();
  return Array.isArray(body?.rows) ? body.rows.reverse() : [];
}

/** Fills a pool panel's charts (snapshots, rolls) and the alerts from the history; ignores what is not there. */
export async function loadHistory(pool, risk) {
  try {
    const [snapshots, rolls, alerts] = await Promise.all([
      page('poolSnapshot', { poolId: pool.poolId }),
      page('roll', { poolId: pool.poolId }),
      page('alert', {}),
    ]);
    for (const r of snapshots) {
      if (typeof r.at !== 'number') continue;
      const s = {
        price: r.price, assetPrice: r.assetPrice, tick: r.tick, referencePrice: r.referencePrice,
        range: r.tickLower === null || r.tickLower === undefined ? null : { tickLower: r.tickLower, tickUpper: r.tickUpper },
      };
      const b = rangeBounds(s);
      pool.price.add(r.at, [r.assetPrice ?? null, r.referencePrice ?? null, b?.lower ?? null, b?.upper ?? null, null]);
      // holding = value − every range's IL − all fees (what holdingUsd computes from a live state's netIL)
      const holding = typeof r.valueUsd === 'number' && typeof r.cumulativeIlUsd === 'number' && typeof r.feesUsd === 'number' ? r.valueUsd - r.cumulativeIlUsd - r.feesUsd : null;
      if (typeof r.valueUsd === 'number') pool.value.add(r.at, [r.valueUsd, holding]);
      pool.pnl.add(r.at, [r.feesUsd ?? null, r.cumulativeIlUsd ?? null, typeof r.lvrUsd === 'number' ? -r.lvrUsd : null]);
    }
    for (const r of rolls) if (typeof r.at === 'number') pool.markRoll(r.at);
    for (const a of alerts) risk.addAlert(a);
    // how many recorded rows the page drew (what a test checks)
    pool.root.dataset.historyRows = String(snapshots.length + rolls.length + alerts.length);
  } catch {
    // no history here: the live feed is enough
  }
}
