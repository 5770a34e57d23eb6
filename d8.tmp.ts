import { runPathTasks } from './src/backtest/pathPool.js';
import { syntheticPaths } from './src/backtest/marketPaths.js';
import { DEFAULT_BACKTEST_CONFIG } from './src/backtest/defaultConfig.js';
const p = syntheticPaths({ initialPrice: 1800, sigma: 0.8, stepSeconds: 60, seed: 1, steps: 10, count: 2 });
const t = (steps: number) => syntheticPaths({ initialPrice: 1800, sigma: 0.8, stepSeconds: 60, seed: 1, steps, count: 4 }).paths.map((path) => ({ config: DEFAULT_BACKTEST_CONFIG, source: 'x', path, gasGwei: 30 }));
for (const [w, steps] of [[1, 10], [1, 200], [2, 10], [2, 200]] as const) {
  const c0 = process.cpuUsage(); const s = performance.now();
  await runPathTasks(t(steps), { workers: w });
  const c = process.cpuUsage(c0);
  console.log(`workers ${w}, 4 paths x ${steps} steps: wall ${((performance.now() - s) / 1000).toFixed(1)} s, process cpu ${((c.user + c.system) / 1e6).toFixed(1)} s`);
}
void p;
