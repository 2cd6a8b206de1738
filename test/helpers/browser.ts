/**
 * A real headless Chromium for tests of the hub's browser pages: the system's (Debian's `chromium`
 * package, which `.ci/run` installs when missing), driven by playwright-core, which downloads no
 * browser of its own.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium with a temporary profile of its own (playwright makes and removes it).
 * Fails with a plain message when the browser is not installed.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: install the Debian package with ` +
        '`apt-get install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // No sandbox: CI runs as root in a container. The rest keeps the browser off the network
    // (updates, sync, QUIC probes) and away from a GPU the machine does not have.
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // A cold browser on a shared CI machine.
    timeout: 60_000,
  });
}
