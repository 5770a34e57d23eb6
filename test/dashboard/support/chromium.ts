/**
 * Debian's chromium for the browser tests, driven by playwright-core (no browser download:
 * .ci/run installs the `chromium` package where it is missing, the README says how by hand).
 * RANGEKEEPER_CHROMIUM overrides the binary.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** The chromium binary: RANGEKEEPER_CHROMIUM, else `chromium` on the PATH; throws saying how to install it. */
export function chromiumPath(): string {
  const configured = process.env['RANGEKEEPER_CHROMIUM'];
  if (configured !== undefined && configured !== '') return configured;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium not found: install it (Debian: apt-get install -y chromium) or set RANGEKEEPER_CHROMIUM to a Chromium binary');
  }
}

/** A headless chromium (no sandbox: the tests run as root in CI). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
