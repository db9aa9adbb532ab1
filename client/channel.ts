/**
 * The ways a client's messages travel to the server. TCP carries every
 * message; the UDP channel (fast, lossy, for `3:0`, `3:1`, `3:4` and `4:`;
 * see udp_channel.ts) is chosen per send with {@linkcode SendOptions}.
 *
 * @example
 * ```ts
 * import type { SendOptions } from "./channel.ts";
 * const reliable: SendOptions = { channel: "tcp" };
 * ```
 * @module
 */
import type { ClientMessage } from "../protocol/mod.ts";

/** A channel's name: `"udp"` needs `RelayClient.openUdp()` first. */
export type ChannelName = "tcp" | "udp";

/** Options every send method takes. */
export interface SendOptions {
  /** Which channel carries the message; default `"tcp"`. */
  readonly channel?: ChannelName;
}

/** One way to carry messages to the server. */
export interface Channel {
  /** The channel's name. */
  readonly name: ChannelName;
  /** Sends one message; resolves once it is handed to the network. */
  send(msg: ClientMessage): Promise<void>;
}
