/**
 * The dashboard's static files (server/admin/dashboard/), read once when
 * the admin endpoint starts and served as they are: no build step. They
 * hold no data; everything they show comes from the token-guarded API.
 *
 * @example
 * ```ts
 * import { loadDashboard } from "./dashboard_files.ts";
 * const files = await loadDashboard();
 * console.assert(files.get("/")!.type.startsWith("text/html"));
 * ```
 * @module
 */

/** One file as served. */
export interface StaticFile {
  readonly body: Uint8Array;
  readonly type: string;
}

const FILES: readonly [path: string, file: string, type: string][] = [
  ["/", "index.html", "text/html; charset=utf-8"],
  ["/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"],
  ["/dashboard.css", "dashboard.css", "text/css; charset=utf-8"],
];

/** Reads the dashboard's files, by the path they are served at. */
export async function loadDashboard(): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const [path, file, type] of FILES) {
    const url = new URL(`./dashboard/${file}`, import.meta.url);
    files.set(path, { body: await Deno.readFile(url), type });
  }
  return files;
}

/**
 * The page may load only its own script and style and talk only to its own
 * origin; it may not be framed (its buttons act on the server).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");
