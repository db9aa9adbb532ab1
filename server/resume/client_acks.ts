/**
 * Counting a resumable session's incoming lines (the client's) and
 * acknowledging them: after so many lines, so many bytes, or so long after
 * the first unacknowledged one, whichever comes first.
 *
 * @example
 * ```ts
 * import { ClientAcks } from "./client_acks.ts";
 * const sent: number[] = [];
 * const acks = new ClientAcks((count) => sent.push(count));
 * acks.lineIn(10);
 * acks.flush();
 * console.assert(acks.received === 1 && sent[0] === 1);
 * ```
 * @module
 */

/** The client's lines are acknowledged once this many have arrived unacknowledged... */
const ACK_EVERY_LINES = 32;
/** ... or this many bytes ... */
const ACK_EVERY_BYTES = 16 * 1024;
/** ... or this long after the first of them. */
const ACK_DELAY_MS = 250;

/** The count of the client's lines and when to acknowledge it. */
export class ClientAcks {
  /** The client's lines handled so far (counted ones). */
  #received = 0;
  /** The count in the last acknowledgement sent to the client. */
  #ackSent = 0;
  #bytesSinceAck = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #send: (count: number) => void;

  /** `send` writes the acknowledgement of `count` lines (if it can). */
  constructor(send: (count: number) => void) {
    this.#send = send;
  }

  /** The client's lines handled so far. */
  get received(): number {
    return this.#received;
  }

  /** One counted line of `length` bytes (without its `\n`) arrived. */
  lineIn(length: number): void {
    this.#received++;
    this.#bytesSinceAck += length + 1;
    if (
      this.#received - this.#ackSent >= ACK_EVERY_LINES ||
      this.#bytesSinceAck >= ACK_EVERY_BYTES
    ) {
      this.flush();
    } else {
      this.#ackTimer ??= setTimeout(this.flush, ACK_DELAY_MS);
    }
  }

  /** Acknowledges now everything counted so far. */
  flush = (): void => {
    this.#ackTimer = this.#clear();
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
    this.#send(this.#received);
  };

  /** The client was just told the count some other way (a resume's answer). */
  caughtUp(): void {
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
  }

  /** No acknowledgement is due any more (away, off, ended). */
  stop(): void {
    this.#ackTimer = this.#clear();
  }

  #clear(): undefined {
    clearTimeout(this.#ackTimer);
    return undefined;
  }
}
