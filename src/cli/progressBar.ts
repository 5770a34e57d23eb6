/**
 * A one-line progress bar for a terminal: redrawn in place at most every 100 ms (by the wall
 * clock: it paces screen updates, it decides nothing), with steps per second and the time left.
 */
export interface ProgressBar {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export function progressBar(out: NodeJS.WriteStream, width = 30): ProgressBar {
  const started = Date.now();
  let last = 0;
  let steps = 0;
  let drawn = false;
  return {
    update(label, done, total) {
      steps += 1;
      const t = Date.now();
      if (t - last < 100 && done < total) return;
      last = t;
      const frac = total > 0 ? done / total : 1;
      const filled = Math.round(frac * width);
      const rate = steps / Math.max(0.001, (t - started) / 1000);
      const left = rate > 0 ? (total - done) / rate : 0;
      out.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${Math.round(rate)} steps/s ${left.toFixed(0)} s left  `);
      drawn = true;
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}
