import { open, readFile, unlink } from 'node:fs/promises';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(readonly lockPath: string, readonly pid: number, what = 'data directory') {
    super(`${what} is in use by process ${pid} (lock file ${lockPath}); stop it or use another --data-dir`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on a data directory by creating `lockPath` with our pid. A lock left
 * by a process that no longer exists (a crash, kill -9) is taken over. Returns the release.
 */
export async function acquireFileLock(lockPath: string, what?: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.sync();
      await fh.close();
      return async () => {
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new DataDirLockedError(lockPath, holder, what);
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}
