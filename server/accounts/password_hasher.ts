/**
 * Salted slow password hashes with `node:crypto` scrypt, stored with their
 * parameters so they can be raised later without invalidating old hashes:
 *
 * ```
 * scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>
 * ```
 *
 * Hashing runs on the runtime's thread pool (the callback form of `scrypt`),
 * never on the event loop, and at most `maxConcurrent` at once so that a
 * burst of logins leaves a core for relaying. Checks beyond that wait in a
 * {@linkcode CheckQueue}: fair between addresses, priority first, bounded
 * (past the bound a check is refused with {@linkcode CheckQueueBusyError}).
 *
 * @example
 * ```ts
 * import { PasswordHasher } from "./password_hasher.ts";
 * const hasher = new PasswordHasher({ params: { N: 1024, r: 8, p: 1 } });
 * const stored = await hasher.hash("correct horse");
 * console.assert(await hasher.verify("correct horse", stored));
 * console.assert(!(await hasher.verify("wrong", stored)));
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";
import {
  type CheckOptions,
  CheckQueue,
  CheckQueueBusyError,
} from "./check_queue.ts";

export { CheckQueueBusyError };

/** Password checks that may wait for the hasher, by default. */
export const DEFAULT_MAX_QUEUED_CHECKS = 64;

/** scrypt's cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism. */
  readonly p: number;
}

/**
 * The parameters new hashes get: N=2^14, r=8, p=1 (16 MiB, about 60 ms on
 * one core of a small server), scrypt's recommendation for interactive
 * logins.
 */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({
  N: 16_384,
  r: 8,
  p: 1,
});

/** Memory one hash may use; stored parameters beyond it are refused. */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** A stored hash that is not in the `scrypt$N$r$p$salt$hash` form. */
export class PasswordHashFormatError extends TypeError {
  /** Stable code for programs. */
  readonly code = "bad-password-hash";
  /** Creates the error; the hash itself is never put in the message. */
  constructor(reason: string) {
    super(`stored password hash is unusable: ${reason}`);
    this.name = "PasswordHashFormatError";
  }
}

interface Parsed {
  readonly params: ScryptParams;
  readonly salt: Uint8Array;
  readonly key: Uint8Array;
}

/** Options of {@linkcode PasswordHasher}. */
export interface PasswordHasherOptions {
  /** Parameters for new hashes; {@linkcode DEFAULT_SCRYPT} by default. */
  params?: ScryptParams;
  /** Hashes computed at once; one less than the cores (at least 1) by default. */
  maxConcurrent?: number;
  /**
   * Checks that may wait in all ({@linkcode DEFAULT_MAX_QUEUED_CHECKS} by
   * default); half of them from one address.
   */
  maxQueued?: number;
}

/** Hashes and verifies passwords. */
export class PasswordHasher {
  readonly params: ScryptParams;
  readonly maxConcurrent: number;
  readonly #queue: CheckQueue;
  #dummy: Promise<string> | null = null;

  /** Creates a hasher; parameters are checked like stored ones. */
  constructor(options: PasswordHasherOptions = {}) {
    this.params = options.params ?? DEFAULT_SCRYPT;
    checkParams(this.params);
    this.maxConcurrent = options.maxConcurrent ??
      Math.max(1, availableParallelism() - 1);
    if (!Number.isSafeInteger(this.maxConcurrent) || this.maxConcurrent < 1) {
      throw new RangeError("maxConcurrent must be a positive integer");
    }
    const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_CHECKS;
    this.#queue = new CheckQueue({
      concurrency: this.maxConcurrent,
      maxQueued,
      maxQueuedPerLane: Math.max(1, Math.floor(maxQueued / 2)),
    });
  }

  /** Checks waiting for the hasher now. */
  get queued(): number {
    return this.#queue.queued;
  }

  /** Whether a check with `options` would be refused busy right now. */
  wouldRefuse(options: CheckOptions = {}): boolean {
    return this.#queue.wouldRefuse(options);
  }

  /** Resolves once no hash is computed or waiting. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** A new salted hash of `password` with this hasher's parameters. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    // New hashes are rare (an administrator, the dummy hash): never refused.
    const key = await this.#derive(password, salt, this.params, KEY_BYTES, {
      uncapped: true,
    });
    const { N, r, p } = this.params;
    return `scrypt$${N}$${r}$${p}$${b64(salt)}$${b64(key)}`;
  }

  /**
   * Whether `password` matches `stored`, using the parameters stored with it.
   * `options` say which lane (address) the check waits in, and whether it
   * goes first.
   *
   * @throws {PasswordHashFormatError} when `stored` is malformed.
   * @throws {CheckQueueBusyError} when too many checks wait already.
   */
  async verify(
    password: string,
    stored: string,
    options: CheckOptions = {},
  ): Promise<boolean> {
    const { params, salt, key } = parseHash(stored);
    const derived = await this.#derive(
      password,
      salt,
      params,
      key.length,
      options,
    );
    return timingSafeEqual(derived, key);
  }

  /**
   * A hash of a random password with the current parameters, made once:
   * checking a password against it costs what checking a real one does, so
   * unknown users take as long to refuse as wrong passwords.
   */
  dummyHash(): Promise<string> {
    this.#dummy ??= this.hash(b64(randomBytes(SALT_BYTES)));
    return this.#dummy;
  }

  #derive(
    password: string,
    salt: Uint8Array,
    params: ScryptParams,
    length: number,
    options: CheckOptions,
  ): Promise<Uint8Array> {
    return this.#queue.run(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          scrypt(password, salt, length, {
            N: params.N,
            r: params.r,
            p: params.p,
            maxmem: memoryOf(params) + 1024 * 1024,
          }, (error, key) => error ? reject(error) : resolve(key));
        }),
      options,
    );
  }
}

function memoryOf(params: ScryptParams): number {
  return 128 * params.N * params.r + 128 * params.r * params.p;
}

function checkParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 1;
  if (!whole(N) || N < 2 || (N & (N - 1)) !== 0) {
    throw new PasswordHashFormatError("N must be a power of two above 1");
  }
  if (!whole(r) || r > 64 || !whole(p) || p > 64) {
    throw new PasswordHashFormatError("r and p must be 1 to 64");
  }
  if (memoryOf(params) > MAX_SCRYPT_MEMORY_BYTES) {
    throw new PasswordHashFormatError(
      `parameters need more than ${MAX_SCRYPT_MEMORY_BYTES} bytes`,
    );
  }
}

/**
 * Splits a stored hash into its parts.
 *
 * @throws {PasswordHashFormatError} when it is malformed or its parameters
 * are out of bounds.
 */
export function parseHash(stored: string): Parsed {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") {
    throw new PasswordHashFormatError("expected scrypt$N$r$p$salt$hash");
  }
  const [N, r, p] = parts.slice(1, 4).map((x) =>
    /^\d{1,9}$/.test(x) ? Number(x) : NaN
  );
  const params = { N: N!, r: r!, p: p! };
  checkParams(params);
  const salt = unb64(parts[4]!);
  const key = unb64(parts[5]!);
  if (salt.length < 8 || salt.length > 64) {
    throw new PasswordHashFormatError("salt must be 8 to 64 bytes");
  }
  if (key.length < 16 || key.length > 64) {
    throw new PasswordHashFormatError("hash must be 16 to 64 bytes");
  }
  return { params, salt, key };
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function unb64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new PasswordHashFormatError("salt and hash must be base64");
  }
  return Buffer.from(text, "base64");
}
