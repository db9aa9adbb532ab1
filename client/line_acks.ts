/**
 * Counting the server's lines to a resumable session and acknowledging
 * them: after so many lines, so many bytes, or so long after the first
 * unacknowledged one, whichever comes first.
 *
 * @example
 * ```ts
 * import { LineAcks } from "./line_acks.ts";
 * const sent: number[] = [];
 * const acks = new LineAcks({ canSend: () => true, send: (n) => sent.push(n) });
 * acks.count(10);
 * acks.flush();
 * console.assert(acks.received === 1 && sent[0] === 1);
 * ```
 * @module
 */

/** Lines, bytes and time after which we acknowledge the server's lines. */
const ACK_EVERY_LINES = 32;
const ACK_EVERY_BYTES = 16 * 1024;
const ACK_DELAY_MS = 250;

/** How acknowledgements go out. */
export interface AckSender {
  /** Whether one may be written now (a connection, nothing in between). */
  canSend(): boolean;
  /** Writes the acknowledgement of `count` lines. */
  send(count: number): void;
}

/** The count of the server's lines and when to acknowledge it. */
export class LineAcks {
  readonly #sender: AckSender;
  /** The server's lines counted since the answer to our `7:`. */
  #received = 0;
  #ackSent = 0;
  #bytesSinceAck = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;

  /** Acknowledgements go out through `sender`. */
  constructor(sender: AckSender) {
    this.#sender = sender;
  }

  /** The server's lines counted so far. */
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

  /** The server was told our count some other way (our resume's count). */
  caughtUp(): void {
    this.#ackSent = this.#received;
  }

  /** A new resumable session: counting starts again. */
  reset(): void {
    this.#received = 0;
    this.#ackSent = 0;
    this.#bytesSinceAck = 0;
  }

  /** The session is no longer resumable: its count goes. */
  forget(): void {
    this.#received = 0;
  }

  /** No acknowledgement is due any more (the connection dropped). */
  stop(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }
}
