/**
 * What default_transport.ts becomes in the browser bundle (web/build.ts):
 * WebSocket only.
 *
 * @example
 * ```ts
 * import { defaultTransport } from "./default_transport_browser.ts";
 * console.assert(defaultTransport.name === "browser");
 * ```
 * @module
 */
export { browserTransport as defaultTransport } from "./browser_transport.ts";
