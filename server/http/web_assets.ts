/**
 * The files the HTTP port serves besides `/ws`: the demo page and the
 * browser bundles built by `deno task build:web` (web/dist/, committed).
 * They are read once at start; a missing file is served as a 503 that says
 * how to build it, so the WebSocket endpoint works without them.
 *
 * @example
 * ```ts
 * import { loadWebAssets } from "./web_assets.ts";
 * const assets = await loadWebAssets();
 * console.assert(assets.get("/")?.type.startsWith("text/html"));
 * ```
 * @module
 */

/** One file as served. */
export interface WebAsset {
  /** The `content-type` header. */
  readonly type: string;
  /** The bytes, or null when the file was not there at start. */
  readonly body: Uint8Array | null;
  /** Where it was looked for, for the 503 text. */
  readonly file: string;
}

/** Request path -> file under web/, with its content type. */
const FILES: Readonly<Record<string, readonly [string, string]>> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/demo.js": ["dist/demo.js", "text/javascript; charset=utf-8"],
  "/switchboard.js": ["dist/switchboard.js", "text/javascript; charset=utf-8"],
};

/** The served files by request path. */
export type WebAssets = ReadonlyMap<string, WebAsset>;

/** Reads every served file from `root` (the repository's web/ by default). */
export async function loadWebAssets(
  root: URL = new URL("../../web/", import.meta.url),
): Promise<WebAssets> {
  const assets = new Map<string, WebAsset>();
  for (const [path, [name, type]] of Object.entries(FILES)) {
    const url = new URL(name, root);
    let body: Uint8Array | null = null;
    try {
      body = await Deno.readFile(url);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    assets.set(path, { type, body, file: url.pathname });
  }
  return assets;
}
