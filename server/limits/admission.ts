/**
 * Which new connections a server takes: at most `maxConnections` in all and
 * `maxConnectionsPerAddress` from one IP address. A refused connection gets
 * one error line and is closed before it costs more than a socket.
 *
 * @example
 * ```ts
 * import { Admission } from "./admission.ts";
 * const admission = new Admission({ maxConnections: 10, maxConnectionsPerAddress: 1 });
 * console.assert(admission.admit("10.0.0.1") === null);
 * console.assert(admission.admit("10.0.0.1")?.code === "too-many-connections");
 * admission.release("10.0.0.1");
 * console.assert(admission.admit("10.0.0.1") === null);
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";

/** Why a connection was refused at accept. */
export interface AdmissionRefusal {
  readonly code:
    | typeof ErrorCode.ServerFull
    | typeof ErrorCode.TooManyConnections;
  readonly text: string;
}

/** Counts open connections, in all and per address. */
export class Admission {
  readonly #maxTotal: number;
  readonly #maxPerAddress: number;
  readonly #byAddress = new Map<string, number>();
  #total = 0;

  /** Creates an empty count with the two limits. */
  constructor(
    limits: { maxConnections: number; maxConnectionsPerAddress: number },
  ) {
    this.#maxTotal = limits.maxConnections;
    this.#maxPerAddress = limits.maxConnectionsPerAddress;
  }

  /** Connections admitted and not yet released. */
  get total(): number {
    return this.#total;
  }

  /** Connections admitted from `address` and not yet released. */
  from(address: string): number {
    return this.#byAddress.get(address) ?? 0;
  }

  /** Counts a connection from `address`, or says why it is refused. */
  admit(address: string): AdmissionRefusal | null {
    if (this.#total >= this.#maxTotal) {
      return {
        code: ErrorCode.ServerFull,
        text: `the server holds ${this.#maxTotal} connections`,
      };
    }
    const count = this.#byAddress.get(address) ?? 0;
    if (count >= this.#maxPerAddress) {
      return {
        code: ErrorCode.TooManyConnections,
        text: `at most ${this.#maxPerAddress} connections from one address`,
      };
    }
    this.#byAddress.set(address, count + 1);
    this.#total++;
    return null;
  }

  /** Forgets one admitted connection from `address`. */
  release(address: string): void {
    const count = this.#byAddress.get(address);
    if (count === undefined) return;
    if (count <= 1) this.#byAddress.delete(address);
    else this.#byAddress.set(address, count - 1);
    this.#total--;
  }
}
