/**
 * A worker thread that runs path tasks (pathRun.ts) one at a time for a PathPool: it receives
 * `{ id, task }` and answers `{ id, result }` or `{ id, error }` (the error's name and message: a
 * bad configuration or data file is the user's to fix, and the pool reports it as such).
 */
import { parentPort } from 'node:worker_threads';
import { runPath, type PathRunResult, type PathTask } from './pathRun.js';

export type WorkerRequest = { id: number; task: PathTask };
export type WorkerReply = { id: number; result: PathRunResult } | { id: number; error: { name: string; message: string } };

const port = parentPort;
if (port === null) throw new Error('pathWorker.ts runs as a worker thread');
port.on('message', (m: WorkerRequest) => {
  runPath(m.task).then(
    (result) => port.postMessage({ id: m.id, result } satisfies WorkerReply),
    (err: unknown) => port.postMessage({ id: m.id, error: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) } } satisfies WorkerReply),
  );
});
