/**
 * The HTTP port: WebSocket clients at `/ws` (into the same rooms as TCP),
 * the demo page at `/`, HTTPS/WSS with a certificate, `Origin` checks.
 *
 * @example
 * ```ts
 * import { OriginPolicy, WS_PATH } from "./mod.ts";
 * console.assert(WS_PATH === "/ws");
 * console.assert(OriginPolicy.parse("*").allows("https://a.example", "b", true));
 * ```
 * @module
 */
export {
  HttpListener,
  type HttpListenerOptions,
  WS_PATH,
} from "./http_listener.ts";
export { DEFAULT_ALLOWED_ORIGINS, OriginPolicy } from "./origins.ts";
export { loadWebAssets, type WebAsset, type WebAssets } from "./web_assets.ts";
export { ConnDuplex } from "./conn_duplex.ts";
