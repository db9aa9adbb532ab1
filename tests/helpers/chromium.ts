/**
 * Debian's headless Chromium for tests, driven by npm:playwright-core.
 * `chromiumAvailability()` starts it once to find out whether it can run
 * here; test files call it with top-level await and mark the browser test
 * ignored, with the reason in its name, where it cannot.
 */
import { type Browser, chromium } from "playwright-core";

/** Where the browser is (installed by .ci/install-services). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The flags every test browser gets: no sandbox (root in CI), nothing talking to the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts the browser; close it with `await browser.close()`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30_000,
  });
}

/** Whether the browser starts here, or why not. */
export async function chromiumAvailability(): Promise<
  { available: true } | { available: false; reason: string }
> {
  try {
    await Deno.stat(CHROMIUM_PATH);
  } catch {
    return {
      available: false,
      reason: `no ${CHROMIUM_PATH} (run .ci/install-services)`,
    };
  }
  try {
    const browser = await launchChromium();
    await browser.close();
    return { available: true };
  } catch (error) {
    const first = String((error as Error).message).split("\n")[0];
    return {
      available: false,
      reason: `Chromium does not start here: ${first}`,
    };
  }
}
