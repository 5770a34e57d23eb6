// The dashboard's entry: routes each feed event to its panel (a pool per PositionActor, an asset
// per hedge entry, the risk state), wires the token field and the halt/resume buttons, and
// fills the charts' past from the history endpoints where the agent records one.
import { FeedConnection } from './feedConnection.js';
import { HedgePanel } from './hedgePanel.js';
import { loadHistory } from './historyBackfill.js';
import { PoolPanel } from './poolPanel.js';
import { RiskPanel } from './riskPanel.js';
import { wireRiskControls } from './riskControls.js';
import { adoptTokenFromFragment, readToken, storeToken } from './token.js';

const pools = new Map();
const hedges = new Map();
const risk = new RiskPanel(document);
const poolList = document.getElementById('pool-list');
const hedgeList = document.getElementById('hedge-list');
const feedStatus = document.getElementById('feed-status');

function poolPanel(poolId) {
  let p = pools.get(poolId);
  if (p === undefined) {
    if (pools.size === 0) poolList.replaceChildren();
    p = new PoolPanel(poolList, poolId);
    pools.set(poolId, p);
    void loadHistory(p, risk);
  }
  return p;
}

function onEvent(e) {
  const s = e.state;
  if (e.kind === 'position' && typeof s.poolId === 'string') poolPanel(s.poolId).update(e.at, s);
  else if (e.kind === 'hedge' && s.assets !== null && typeof s.assets === 'object') {
    for (const [asset, a] of Object.entries(s.assets)) {
      let h = hedges.get(asset);
      if (h === undefined) {
        h = new HedgePanel(hedgeList, asset);
        hedges.set(asset, h);
      }
      h.update(e.at, a, typeof s.band === 'number' ? s.band : 0.05);
    }
  } else if (e.kind === 'risk' && typeof s.status === 'string') risk.update(e.at, s);
}

const feed = new FeedConnection(onEvent, (status) => {
  feedStatus.textContent = `feed: ${status}`;
  feedStatus.dataset.status = status;
});

adoptTokenFromFragment();
const tokenInput = document.getElementById('token');
tokenInput.value = readToken();
document.getElementById('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  storeToken(tokenInput.value.trim());
  document.getElementById('control-result').textContent = '';
  feed.open();
});
wireRiskControls(document);
feed.open();
