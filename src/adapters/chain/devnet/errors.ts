/**
 * Typed errors of the local devnet. Each carries the value that caused it, so a caller (the CLI,
 * a test set-up) can print a message a person can act on.
 */

/** The anvil binary was not found where we looked. */
export class AnvilNotFoundError extends Error {
  override readonly name = 'AnvilNotFoundError';
  constructor(readonly triedPaths: readonly string[]) {
    super(`anvil binary not found (tried: ${triedPaths.join(', ')}); run \`npm ci\` so @foundry-rs/anvil installs its platform binary, or set RANGEKEEPER_ANVIL_BIN`);
  }
}

/** anvil could not bind the requested port because something else listens there. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use; choose another with --port, or 0 for a free one`);
  }
}

/** anvil exited or stayed silent before it reported that it listens. */
export class AnvilStartError extends Error {
  override readonly name = 'AnvilStartError';
  constructor(message: string, readonly output: string, readonly exitCode: number | null) {
    super(`${message}${output.trim() === '' ? '' : `: ${output.trim().slice(-500)}`}`);
  }
}

/** A contract artifact shipped in node_modules is missing or not the shape we expect. */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
  constructor(readonly artifact: string, readonly path: string, reason: string) {
    super(`artifact ${artifact} at ${path}: ${reason}`);
  }
}

/** A deployment or set-up transaction failed. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(readonly step: string, override readonly cause: unknown) {
    super(`devnet deployment failed at "${step}": ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A price given to the devnet (initial pool price, reference price) is not a positive finite number. */
export class InvalidPriceError extends Error {
  override readonly name = 'InvalidPriceError';
  constructor(readonly price: number) {
    super(`price must be a positive finite number, got ${price}`);
  }
}
