// Work done at most a few times a second: the feed can bring hundreds of states a second, the
// page draws the latest of each at the next frame after a short wait (a later call for the same
// key replaces the earlier). A person reads no faster; the browser stays idle in between.
const pending = new Map();
const INTERVAL_MS = 200;
let scheduled = false;

function flush() {
  scheduled = false;
  const jobs = [...pending.values()];
  pending.clear();
  for (const job of jobs) job();
}

/** Runs `job` at the next drawing turn (within INTERVAL_MS and a frame), once for `key` however often it is asked. */
export function onNextFrame(key, job) {
  pending.set(key, job);
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => requestAnimationFrame(flush), INTERVAL_MS);
}
