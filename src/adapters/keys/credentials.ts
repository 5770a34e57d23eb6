import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * An exchange API key pair. It refuses to be printed: JSON.stringify, util.inspect and string
 * conversion all give "[redacted]", so passing it to a logger or an error by mistake leaks
 * nothing. Read the fields explicitly where a venue client needs them.
 */
export class Credentials {
  readonly #apiKey: string;
  readonly #secret: string;
  readonly #password: string | undefined;

  constructor(apiKey: string, secret: string, password?: string) {
    this.#apiKey = apiKey;
    this.#secret = secret;
    this.#password = password;
  }

  get apiKey(): string {
    return this.#apiKey;
  }

  get secret(): string {
    return this.#secret;
  }

  get password(): string | undefined {
    return this.#password;
  }

  /** A short public fingerprint of the API key (sha256 prefix), safe to show and log. */
  get fingerprint(): string {
    return createHash('sha256').update(this.#apiKey).digest('hex').slice(0, 12);
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `Credentials(${this.fingerprint}, [redacted])`;
  }
}
