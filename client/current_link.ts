/**
 * The connection a resuming client is on now, across the connections it
 * opens after drops: lines from one of an older generation are ignored, and
 * a drop is reported only for the current one. It also keeps when a line
 * last came and went, for the heartbeat.
 *
 * @example
 * ```ts ignore
 * import { CurrentLink } from "./current_link.ts";
 * const links = new CurrentLink(open, { onLine, ready, dropped });
 * links.adopt(await links.connect());
 * ```
 * @module
 */
import type { LineLink, LinkOpener } from "./line_link.ts";
import type { CloseInfo } from "./tcp_connection.ts";

/** What the current link reports. */
export interface CurrentLinkParts {
  /** A line of the current connection. */
  onLine(line: Uint8Array): void;
  /** Asked before each read; a promise pauses reading until it settles. */
  ready(): Promise<void> | undefined;
  /** The current connection ended (not while closing). */
  dropped(info: CloseInfo): void;
}

/** The connection in use, its state, and its traffic times. */
export class CurrentLink {
  /** The connection in use; null while down or closed. */
  link: LineLink | null = null;
  /** Up: connected; down: getting back; closed: for good. */
  state: "up" | "down" | "closed" = "up";
  /** Closing has begun: a drop is no longer one. */
  closing = false;
  readonly #open: LinkOpener;
  readonly #parts: CurrentLinkParts;
  /** Lines from connections of older generations are ignored. */
  #gen = 0;
  #lastIn = performance.now();
  #lastOut = performance.now();
  #paused = false;

  /** Connections come from `open`; what they say goes to `parts`. */
  constructor(open: LinkOpener, parts: CurrentLinkParts) {
    this.#open = open;
    this.#parts = parts;
  }

  /**
   * Opens a connection of a new generation (not yet adopted).
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  connect(): Promise<LineLink> {
    const gen = ++this.#gen;
    return this.#open({
      onLine: (line) => {
        if (gen === this.#gen) this.#parts.onLine(line);
      },
      ready: this.#ready,
    });
  }

  /** Makes `link` the current connection and watches for its end. */
  adopt(link: LineLink): void {
    const gen = this.#gen;
    this.link = link;
    this.#lastIn = this.#lastOut = performance.now();
    link.closed.then((info) => {
      if (gen === this.#gen && !this.closing) this.#parts.dropped(info);
    });
  }

  /** Cuts `link` at once, as a network failure would. */
  cut(link: LineLink): void {
    if (link.abort === undefined) void link.close();
    else link.abort();
  }

  /** The current connection is gone: nothing more from it counts. */
  retire(): void {
    this.link = null;
    this.#gen++;
  }

  /** A line came in. */
  heard(): void {
    this.#lastIn = performance.now();
  }

  /** A line went out. */
  spoke(): void {
    this.#lastOut = performance.now();
  }

  /**
   * What the heartbeat finds: `dead` when nothing came for `deadAfterMs`
   * (while reading), `idle` when nothing went for `heartbeatMs`.
   */
  silence(deadAfterMs: number, heartbeatMs: number): "dead" | "idle" | null {
    const now = performance.now();
    if (!this.#paused && now - this.#lastIn >= deadAfterMs) return "dead";
    return now - this.#lastOut >= heartbeatMs ? "idle" : null;
  }

  #ready = (): Promise<void> | undefined => {
    const waiting = this.#parts.ready();
    if (waiting === undefined) return undefined;
    this.#paused = true;
    return waiting.then(() => {
      this.#paused = false;
      this.#lastIn = performance.now();
    });
  };
}
