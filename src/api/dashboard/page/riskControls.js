// Halt and resume (POST /api/v1/risk/halt|resume) with the operator's token (an admin's). The
// answer is shown as is; the badge changes when the risk state arrives on the feed.
import { authHeaders } from './token.js';

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
  let answer = null;
  try {
    answer = await res.json();
  } catch {
    // no JSON body
  }
  return { status: res.status, answer };
}

function explain(action, { status, answer }) {
  if (status === 200 || status === 202) return `${action}: ${answer?.status ?? 'done'}${answer?.effective === false ? ' (work still in flight)' : ''}`;
  if (status === 401) return `${action} refused: missing or wrong token`;
  if (status === 403) return `${action} refused: ${answer?.message ?? 'this token may not do that (admin needed)'}`;
  if (status === 429) return `${action} refused: too many failed attempts, wait a minute`;
  return `${action} failed (${status}): ${answer?.message ?? answer?.error ?? ''}`;
}

export function wireRiskControls(doc) {
  const result = doc.getElementById('control-result');
  const reason = doc.getElementById('halt-reason');
  const run = async (button, action, path, body) => {
    button.disabled = true;
    try {
      result.textContent = explain(action, await post(path, body));
    } catch (err) {
      result.textContent = `${action} failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      button.disabled = false;
    }
  };
  const halt = doc.getElementById('halt');
  const resume = doc.getElementById('resume');
  halt.addEventListener('click', () => {
    void run(halt, 'halt', '/api/v1/risk/halt', { reason: reason.value.trim() || 'halted from the dashboard' });
  });
  resume.addEventListener('click', () => {
    void run(resume, 'resume', '/api/v1/risk/resume', {});
  });
}
