/**
 * The admin endpoint's bearer token: read from a file or an environment
 * variable, compared in constant time, never logged or shown.
 *
 * @example
 * ```ts
 * import { AdminToken } from "./admin_token.ts";
 * const token = AdminToken.fromText("correct-horse-battery-staple", "example");
 * console.assert(token.matches("Bearer correct-horse-battery-staple"));
 * console.assert(!token.matches("Bearer guess"));
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** The environment variable `serve`, `status` and `admin` read the token from. */
export const ADMIN_TOKEN_ENV = "SWITCHBOARD_ADMIN_TOKEN";

/** Shortest token accepted: a guessable token would make the endpoint open. */
export const MIN_TOKEN_LENGTH = 16;

/** Why a token could not be had. */
export class AdminTokenError extends Error {
  override readonly name = "AdminTokenError";

  /** `code`: `missing`, `too-short` or `unreadable`. */
  constructor(
    readonly code: "missing" | "too-short" | "unreadable",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A secret that requests must present as `Authorization: Bearer <token>`. */
export class AdminToken {
  readonly #digest: Uint8Array;

  private constructor(secret: string) {
    this.#digest = digest(secret);
  }

  /**
   * Takes the token from `text` (surrounding whitespace, such as a file's
   * final newline, is dropped); `from` names the source in errors.
   *
   * @throws {AdminTokenError} `missing` when empty, `too-short` below
   * {@linkcode MIN_TOKEN_LENGTH} characters.
   */
  static fromText(text: string, from: string): AdminToken {
    const secret = text.trim();
    if (secret === "") {
      throw new AdminTokenError("missing", `${from} holds no token`);
    }
    if (secret.length < MIN_TOKEN_LENGTH) {
      throw new AdminTokenError(
        "too-short",
        `the token in ${from} has ${secret.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 32)`,
      );
    }
    return new AdminToken(secret);
  }

  /**
   * Reads the token from `path`.
   *
   * @throws {AdminTokenError} `unreadable`, or as {@linkcode fromText}.
   */
  static async fromFile(path: string): Promise<AdminToken> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      throw new AdminTokenError(
        "unreadable",
        `cannot read the token file ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return AdminToken.fromText(text, path);
  }

  /**
   * The token from a file when `path` is given, else from
   * {@linkcode ADMIN_TOKEN_ENV} in `env`.
   *
   * @throws {AdminTokenError} `missing` when neither has one.
   */
  static async load(
    path: string | undefined,
    env: (name: string) => string | undefined = (name) => Deno.env.get(name),
  ): Promise<AdminToken> {
    if (path !== undefined) return await AdminToken.fromFile(path);
    const text = env(ADMIN_TOKEN_ENV);
    if (text === undefined || text.trim() === "") {
      throw new AdminTokenError(
        "missing",
        `no admin token: give --admin-token-file FILE or set ${ADMIN_TOKEN_ENV}`,
      );
    }
    return AdminToken.fromText(text, ADMIN_TOKEN_ENV);
  }

  /**
   * Whether an `Authorization` header value carries the token. The
   * comparison takes the same time whatever the guess: both sides are
   * hashed to equal length first.
   */
  matches(authorization: string | null): boolean {
    if (authorization === null) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) return false;
    return timingSafeEqual(digest(match[1]!), this.#digest);
  }

  /** Never shows the secret. */
  toString(): string {
    return "AdminToken(****)";
  }

  /** Never shows the secret (console.log, Deno.inspect). */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Never shows the secret (JSON.stringify). */
  toJSON(): string {
    return this.toString();
  }
}

function digest(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf8").digest();
}
