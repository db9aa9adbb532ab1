/**
 * `serve --cluster redis://HOST:PORT` (or `rediss://` for TLS): where the
 * deployment's Redis is, and its password. The password may be in the URL,
 * but it need never be on the command line (where `ps` shows it to every
 * user of the machine): `--cluster-password-file FILE` or the environment
 * variable `SWITCHBOARD_REDIS_PASSWORD` give it instead, in that order of
 * precedence over the URL's.
 *
 * @example
 * ```ts
 * import { clusterTarget } from "./cluster_url.ts";
 * const target = await clusterTarget("redis://:secret@127.0.0.1:6379");
 * console.assert(target.password === "secret" && !target.shown.includes("secret"));
 * ```
 * @module
 */

/** The variable `serve --cluster` reads the Redis password from. */
export const PASSWORD_ENV = "SWITCHBOARD_REDIS_PASSWORD";

/** Where to connect, with what. */
export interface ClusterTarget {
  /** The URL without its password. */
  readonly url: string;
  /** The URL as shown in logs and errors (no password). */
  readonly shown: string;
  readonly password?: string;
  /** `rediss://`: TLS, checked against `ca` or the system's CAs. */
  readonly tls: boolean;
  /** PEM certificates to trust instead of the system's, for TLS. */
  readonly ca?: string;
  /** Prefix of every key and channel (`?prefix=…`, `sb:` by default). */
  readonly prefix: string;
}

/** A `--cluster` value that is not a Redis URL. */
export class ClusterUrlError extends TypeError {
  /** Stable, for programs. */
  readonly code = "bad-cluster-url";

  /** Explains what is wrong with `url`. */
  constructor(text: string) {
    super(text);
    this.name = "ClusterUrlError";
  }
}

/** Options of {@linkcode clusterTarget}. */
export interface ClusterTargetOptions {
  /** A file whose first line is the password. */
  passwordFile?: string;
  /** A PEM file of CAs to trust for `rediss://`. */
  caFile?: string;
  /** Reads an environment variable; `Deno.env.get` by default. */
  env?: (name: string) => string | undefined;
}

/**
 * Parses `url` and finds the password.
 *
 * @throws {ClusterUrlError} for a URL that is not `redis://` or `rediss://`.
 */
export async function clusterTarget(
  url: string,
  options: ClusterTargetOptions = {},
): Promise<ClusterTarget> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClusterUrlError(
      `--cluster expects redis://HOST:PORT or rediss://HOST:PORT, got ${url}`,
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ClusterUrlError(
      `--cluster expects a redis:// or rediss:// URL, got ${parsed.protocol}//…`,
    );
  }
  if (parsed.hostname === "") {
    throw new ClusterUrlError(`--cluster needs a host: ${url}`);
  }
  const prefix = parsed.searchParams.get("prefix") ?? "sb:";
  parsed.search = "";
  let password = parsed.password === ""
    ? undefined
    : decodeURIComponent(parsed.password);
  parsed.password = "";
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const fromEnv = env(PASSWORD_ENV);
  if (fromEnv !== undefined && fromEnv !== "") password = fromEnv;
  if (options.passwordFile !== undefined) {
    const text = await Deno.readTextFile(options.passwordFile);
    password = text.split(/\r?\n/)[0];
  }
  const clean = parsed.toString();
  return {
    url: clean,
    shown: clean,
    password,
    tls: parsed.protocol === "rediss:",
    ca: options.caFile === undefined
      ? undefined
      : await Deno.readTextFile(options.caFile),
    prefix,
  };
}
