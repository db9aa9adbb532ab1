/**
 * One connection as a resuming client uses it, whatever transport opened
 * it, and the function that opens one.
 *
 * @example
 * ```ts ignore
 * import type { LinkOpener } from "./line_link.ts";
 * const open: LinkOpener = ({ onLine, ready }) =>
 *   denoTransport.connect(address, { ...limits, onLine, ready });
 * ```
 * @module
 */
import type { CloseInfo } from "./tcp_connection.ts";

/** One connection as the client uses it, whatever opened it. */
export interface LineLink {
  readonly closed: Promise<CloseInfo>;
  readonly isClosed: boolean;
  readonly pendingBytes: number;
  /** Queues whole lines; resolves once handed to the network. */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends the conversation cleanly (bounded in time). */
  close(): Promise<CloseInfo>;
  /** Cuts at once, without a goodbye; `close()` where absent. */
  abort?(): void;
}

/** Opens one connection that hands its lines to `onLine`, asking `ready` before each read. */
export type LinkOpener = (parts: {
  onLine(line: Uint8Array): void;
  ready(): Promise<void> | undefined;
}) => Promise<LineLink>;
