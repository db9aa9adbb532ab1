/**
 * Counting the other side's lines of a resumable session and acknowledging
 * them (`7:<n>`, docs/protocol.md "Acknowledgements"): after 32 lines, 16 KiB,
 * or 250 ms after the first unacknowledged one, whichever comes first. The
 * server counts the client's lines with it and the client the server's, so
 * both keep the same rule.
 *
 * @example
 * ```ts
 * import { AckCounter } from "./ack_counter.ts";
 * const sent: number[] = [];
 * const acks = new AckCounter({ canSend: () => true, send: (n) => sent.push(n) });
 * acks.count(10);
 * acks.flush();
 * console.assert(acks.received === 1 && sent[0] === 1);
 * ```
 * @module
 */

/** Lines after which an acknowledgement goes out. */
export const ACK_EVERY_LINES = 32;
/** Bytes of lines (with their `\n`) after which an acknowledgement goes out. */
export const ACK_EVERY_BYTES = 16 * 1024;
/** How long after the first unacknowledged line one goes out at the latest. */
export const ACK_DELAY_MS = 250;

/** How acknowledgements go out. */
export interface AckSender {
  /** Whether one may be written now (a connection, nothing in between). */
  canSend(): boolean;
  /** Writes the acknowledgement of `count` lines. */
  send(count: number): void;
}

/** The count of the other side's lines and when to acknowledge it. */
export class AckCounter {
  readonly #sender: AckSender;
  /** The lines counted since counting started. */
  #received = 0;
  /** The count in the last acknowledgement sent. */
  #ackSent = 0;
  #bytesSinceAck = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;

  /** Acknowledgements go out through `sender`. */
  constructor(sender: AckSender) {
    this.#sender = sender;
  }

  /** The lines counted so far. */
  get received(): number {
    return this.#received;
  }

  /** Whether lines have been counted since the last acknowledgement. */
  get behind(): boolean {
    return this.#received > this.#ackSent;
  }

  /** One counted line of `length` bytes (without its `\n`) arrived. */
  count(length: number): void {
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

  /** Acknowledges everything counted, if an acknowledgement may go now. */
  flush = (): void => {
    this.stop();
    if (!this.#sender.canSend()) return;
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
    this.#sender.send(this.#received);
  };

  /** The other side was told the count some other way (a resume's count). */
  caughtUp(): void {
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
  }

  /** Counting starts again from zero (a new resumable session). */
  reset(): void {
    this.stop();
    this.#received = 0;
    this.#ackSent = 0;
    this.#bytesSinceAck = 0;
  }

  /** No acknowledgement is due any more (dropped, away, off, ended). */
  stop(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }
}
