/**
 * How `status` and `admin` talk to a running server's admin endpoint: the
 * `--admin URL` and `--token-file` options (or SWITCHBOARD_ADMIN_URL and
 * SWITCHBOARD_ADMIN_TOKEN), and JSON requests with the bearer token whose
 * failures say what to do.
 *
 * @example
 * ```ts ignore
 * import { AdminClient } from "./admin_client.ts";
 * const client = new AdminClient("http://127.0.0.1:7778", "the-token");
 * const status = await client.get("/status");
 * ```
 * @module
 */
import { errorText } from "./cli_error.ts";
import { commandLine } from "./invocation.ts";
import { Option } from "@commander-js/extra-typings";
import { ADMIN_TOKEN_ENV } from "../server/mod.ts";

/** Where the admin endpoint is when neither `--admin` nor the variable says. */
export const DEFAULT_ADMIN_URL = "http://127.0.0.1:7778";
/** The environment variable naming the admin endpoint's URL. */
export const ADMIN_URL_ENV = "SWITCHBOARD_ADMIN_URL";

/** `--admin <url>`. */
export function adminUrlOption() {
  return new Option(
    "--admin <url>",
    `the server's admin endpoint (serve --admin-port); else ${ADMIN_URL_ENV}`,
  ).default(Deno.env.get(ADMIN_URL_ENV) ?? DEFAULT_ADMIN_URL);
}

/** `--token-file <file>`. */
export function tokenFileOption() {
  return new Option(
    "--token-file <file>",
    `file holding the admin token; else ${ADMIN_TOKEN_ENV}`,
  );
}

/** Why a request to the admin endpoint did not work. */
export class AdminRequestError extends Error {
  override readonly name = "AdminRequestError";

  /**
   * `code`: `no-token`, `unreachable`, `unauthorized`, or the endpoint's
   * own error code (`not-found`, `invalid`, `conflict`, …).
   */
  constructor(readonly code: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Reads the token from `file`, else from SWITCHBOARD_ADMIN_TOKEN. */
export async function readToken(file: string | undefined): Promise<string> {
  if (file !== undefined) {
    try {
      return (await Deno.readTextFile(file)).trim();
    } catch (error) {
      throw new AdminRequestError(
        "no-token",
        `cannot read the token file ${file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const token = Deno.env.get(ADMIN_TOKEN_ENV)?.trim();
  if (!token) {
    throw new AdminRequestError(
      "no-token",
      `no admin token: give --token-file FILE or set ${ADMIN_TOKEN_ENV} (the token serve was started with)`,
    );
  }
  return token;
}

/** A client of one admin endpoint. */
export class AdminClient {
  readonly #base: string;
  readonly #token: string;

  /** Talks to `url` (e.g. `http://127.0.0.1:7778`) with `token`. */
  constructor(url: string, token: string) {
    this.#base = url.replace(/\/+$/, "");
    this.#token = token;
  }

  /** `GET path` as JSON. */
  get<T = unknown>(path: string): Promise<T> {
    return this.#request<T>("GET", path);
  }

  /**
   * `POST path` with `body` as JSON; the answer may take up to `timeoutMs`
   * (10 s by default).
   */
  post<T = unknown>(
    path: string,
    body: unknown,
    timeoutMs = 10_000,
  ): Promise<T> {
    return this.#request<T>("POST", path, body, timeoutMs);
  }

  async #request<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 10_000,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AdminRequestError(
        "unreachable",
        `cannot reach the admin endpoint at ${this.#base} (${
          (error as Error).message
        }); is serve running with --admin-port? Give its address with --admin URL.`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.status === 401) {
      throw new AdminRequestError(
        "unauthorized",
        `the admin endpoint at ${this.#base} refused the token; give the one serve uses (--token-file FILE or ${ADMIN_TOKEN_ENV})`,
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new AdminRequestError(
        "bad-answer",
        `${this.#base}${path} answered ${response.status} with something other than JSON; is that a Switchboard admin endpoint?`,
      );
    }
    if (!response.ok) {
      const error = (data as { error?: { code?: string; message?: string } })
        .error;
      throw new AdminRequestError(
        error?.code ?? `http-${response.status}`,
        error?.message ?? `${path} answered ${response.status}`,
      );
    }
    return data as T;
  }
}

/** Prints a known error in the CLI's form and exits 1; rethrows others. */
export function failAdmin(error: unknown): never {
  if (error instanceof AdminRequestError) {
    console.error(errorText(error.message, adminRequestHint(error.code)));
    Deno.exit(1);
  }
  throw error;
}

/** What to do next after an admin request's error, by its code. */
function adminRequestHint(code: string): string | undefined {
  switch (code) {
    case "not-found":
      return `'${
        commandLine("status --token-file FILE")
      }' lists the sessions and rooms there are`;
    case "invalid":
      return `'${
        commandLine(`admin ${Deno.args[1] ?? ""} --help`)
      }' shows what it takes`;
    case "conflict":
      return "the server is draining already; wait for it, or stop it";
    default:
      return undefined;
  }
}
