/**
 * Which web pages may open a WebSocket to the server: the `Origin` header
 * a browser sends with the upgrade, checked against `--allowed-origins`.
 *
 * Default (`same`): no `Origin` header (a program, not a browser page:
 * Deno, Unity, `ws`, the `connect` CLI) or the server's own origin (the demo
 * page it serves, as the browser reached it: `Origin` equal to the scheme
 * and `Host` of the request). A page of any other site is refused with 403.
 * The list may add origins (`https://game.example`) or be `*` (any page).
 *
 * @example
 * ```ts
 * import { OriginPolicy } from "./origins.ts";
 * const policy = OriginPolicy.parse("same,https://game.example");
 * console.assert(policy.allows("https://game.example", "relay:8080", true));
 * console.assert(policy.allows("https://relay:8080", "relay:8080", true));
 * console.assert(!policy.allows("https://evil.example", "relay:8080", true));
 * console.assert(policy.allows(undefined, "relay:8080", true));
 * ```
 * @module
 */

/** The `--allowed-origins` default. */
export const DEFAULT_ALLOWED_ORIGINS = "same";

/** A parsed `--allowed-origins` list. */
export class OriginPolicy {
  readonly #any: boolean;
  readonly #same: boolean;
  readonly #origins: ReadonlySet<string>;

  private constructor(any: boolean, same: boolean, origins: Set<string>) {
    this.#any = any;
    this.#same = same;
    this.#origins = origins;
  }

  /**
   * Parses a comma-separated list of `same`, `*` and origins
   * (`scheme://host[:port]`, no path).
   *
   * @throws {TypeError} for an entry that is none of these.
   */
  static parse(list: string): OriginPolicy {
    let any = false;
    let same = false;
    const origins = new Set<string>();
    for (const raw of list.split(",")) {
      const entry = raw.trim();
      if (entry === "") continue;
      if (entry === "*") any = true;
      else if (entry === "same") same = true;
      else origins.add(normalise(entry));
    }
    return new OriginPolicy(any, same, origins);
  }

  /**
   * Whether an upgrade with `origin` (the header; undefined when absent) to
   * a request for `host` (the `Host` header) over TLS or not is let in.
   */
  allows(
    origin: string | undefined,
    host: string | undefined,
    secure: boolean,
  ) {
    if (origin === undefined || this.#any) return true;
    if (this.#origins.has(origin.toLowerCase())) return true;
    if (!this.#same || host === undefined) return false;
    return origin.toLowerCase() ===
      `${secure ? "https" : "http"}://${host.toLowerCase()}`;
  }
}

function normalise(entry: string): string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new TypeError(
      `not an origin: ${
        JSON.stringify(entry)
      } (expected scheme://host[:port], same or *)`,
    );
  }
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.pathname !== "/" || url.search !== "" || url.hash !== "" ||
    url.username !== ""
  ) {
    throw new TypeError(
      `not an origin: ${
        JSON.stringify(entry)
      } (expected http(s)://host[:port] with no path)`,
    );
  }
  return url.origin.toLowerCase();
}
