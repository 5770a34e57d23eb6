// Entry of a path worker thread: loads the TypeScript worker through tsx's loader (as
// bin/rangekeeper.mjs does for the CLI), so workers run on a clean clone without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./pathWorker.ts');
