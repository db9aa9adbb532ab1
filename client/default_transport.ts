/**
 * The transport {@linkcode RelayClient} uses unless given one: Deno's here.
 * The browser bundle (web/build.ts) resolves this file to
 * browser_transport.ts instead, so no Deno API ends up in a web page.
 *
 * @example
 * ```ts
 * import { defaultTransport } from "./default_transport.ts";
 * console.assert(typeof defaultTransport.connect === "function");
 * ```
 * @module
 */
export { denoTransport as defaultTransport } from "./deno_transport.ts";
