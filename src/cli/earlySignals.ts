/**
 * SIGUSR2 that arrives while a command's modules still load (seconds under tsx), before the
 * command installs its own handlers, would kill the process by default: the launcher catches it
 * from its first moment (catchEarlySignals) and StopSignals takes it over as a halt. Commands
 * that never take it over simply ignore SIGUSR2. Only SIGUSR2: a SIGTERM during loading still
 * ends the process at once, nothing having started yet.
 */
const caught: NodeJS.Signals[] = [];
const record = (signal: NodeJS.Signals): void => {
  caught.push(signal);
};

export function catchEarlySignals(): void {
  process.on('SIGUSR2', record);
}

/** The signals caught so far (each once); the early handler stays until the caller's is in place. */
export function takeEarlySignals(): NodeJS.Signals[] {
  return caught.splice(0);
}

/** Removes the early handler once the command's own handler is installed. */
export function releaseEarlySignals(): void {
  process.off('SIGUSR2', record);
}
