/**
 * The embedded history: PGlite (PostgreSQL compiled to WASM) in a worker thread, so neither its
 * start (compiling the WASM takes seconds) nor a query ever runs on the agent's event loop. The
 * same SQL as on a server; the data lives in a directory, or in memory when none is given.
 *
 * The worker's code is inline and loads PGlite from the URL the main thread resolved, so it runs
 * the same from the TypeScript sources (tsx) and from a build, with nothing to copy.
 */
import { Worker } from 'node:worker_threads';
import { checkSchemaName, HistoryError, type SqlDatabase, type Statement } from './sqlDatabase.js';

export interface PgliteOptions {
  /** Directory of the database (created when missing); absent: in memory, gone at close. */
  dataDir?: string;
  schema: string;
  /** Longest wait for the worker to boot PGlite, ms (default 120 s: the WASM compile is slow on a busy machine). */
  bootTimeoutMs?: number;
  /** Aborting stops a boot still under way (the worker is terminated, the open rejects). */
  signal?: AbortSignal;
}

type RequestBody =
  | { op: 'query'; text: string; params: unknown[] }
  | { op: 'transaction'; statements: Statement[] }
  | { op: 'close' };

type Response = { id: number; ok: true; rows?: unknown[] } | { id: number; ok: false; error: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  let db;
  try {
    const { PGlite } = await import(workerData.pgliteUrl);
    db = await PGlite.create(workerData.dataDir ?? undefined);
    await db.exec('CREATE SCHEMA IF NOT EXISTS ' + workerData.schema + '; SET search_path TO ' + workerData.schema);
    parentPort.postMessage({ id: 0, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: 0, ok: false, error: String(err && err.message || err) });
    return;
  }
  // one request at a time, in arrival order: PGlite is single-connection
  let chain = Promise.resolve();
  parentPort.on('message', (req) => {
    chain = chain.then(async () => {
      try {
        if (req.op === 'query') {
          const res = await db.query(req.text, req.params);
          parentPort.postMessage({ id: req.id, ok: true, rows: res.rows });
        } else if (req.op === 'transaction') {
          await db.transaction(async (tx) => { for (const s of req.statements) await tx.query(s.text, s.params ?? []); });
          parentPort.postMessage({ id: req.id, ok: true });
        } else {
          await db.close();
          parentPort.postMessage({ id: req.id, ok: true });
          parentPort.close();
        }
      } catch (err) {
        parentPort.postMessage({ id: req.id, ok: false, error: String(err && err.message || err) });
      }
    });
  });
})();
`;

/** Starts the worker and waits until PGlite is up in it; throws HistoryError if it cannot start. */
export async function openPglite(o: PgliteOptions): Promise<SqlDatabase> {
  const schema = checkSchemaName(o.schema);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { pgliteUrl: import.meta.resolve('@electric-sql/pglite'), dataDir: o.dataDir ?? null, schema },
  });
  // an idle worker never keeps the process alive; a pending request does (see call)
  worker.unref();
  const pending = new Map<number, { resolve: (r: Response) => void }>();
  let nextId = 1;
  let exited: string | null = null;
  worker.on('message', (r: Response) => {
    const p = pending.get(r.id);
    if (p === undefined) return;
    pending.delete(r.id);
    if (pending.size === 0) worker.unref();
    p.resolve(r);
  });
  const failAll = (why: string): void => {
    exited ??= why;
    for (const [id, p] of pending) p.resolve({ id, ok: false, error: why });
    pending.clear();
  };
  worker.on('error', (err) => failAll(`PGlite worker failed: ${err.message}`));
  worker.on('exit', (code) => failAll(`PGlite worker exited (code ${code})`));

  const boot = new Promise<Response>((resolve) => pending.set(0, { resolve }));
  worker.ref();
  const timeoutMs = o.bootTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => failAll('PGlite start cancelled');
  o.signal?.addEventListener('abort', onAbort);
  if (o.signal?.aborted === true) onAbort();
  const booted = await Promise.race([boot, new Promise<Response>((resolve) => {
    timer = setTimeout(() => resolve({ id: 0, ok: false, error: `PGlite did not start within ${timeoutMs} ms` }), timeoutMs);
  })]);
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  if (!booted.ok) {
    await worker.terminate();
    throw new HistoryError(`cannot open the embedded history database${o.dataDir === undefined ? '' : ` in ${o.dataDir}`}: ${booted.error}`);
  }
  worker.unref();

  const call = (req: RequestBody): Promise<Response> => {
    if (exited !== null) return Promise.resolve({ id: -1, ok: false, error: exited });
    const id = nextId++;
    return new Promise<Response>((resolve) => {
      pending.set(id, { resolve });
      worker.ref();
      worker.postMessage({ ...req, id });
    });
  };
  const ok = async (req: RequestBody): Promise<unknown[]> => {
    const r = await call(req);
    if (!r.ok) throw new HistoryError(r.error);
    return r.rows ?? [];
  };
  let closing: Promise<void> | null = null;
  return {
    kind: 'pglite',
    query: async <R extends object>(text: string, params?: unknown[]) => (await ok({ op: 'query', text, params: params ?? [] })) as R[],
    transaction: async (statements) => {
      await ok({ op: 'transaction', statements });
    },
    close: () => (closing ??= (async () => {
      if (exited === null) await call({ op: 'close' });
      await worker.terminate();
    })()),
  };
}
