/**
 * Calls `onGone` once when this process's parent goes away (its pid changes: we were
 * re-parented). `npx` does not pass SIGTERM on to the command it runs, so a long-running
 * command started through it would otherwise outlive an `npx` that was killed, keeping anvil
 * and the agent alive. Returns a function that stops watching.
 */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const original = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== original) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
