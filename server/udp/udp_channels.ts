/**
 * Which session each UDP address:port belongs to. Only an accepted handshake
 * binds an address; a new handshake of the same session from a new port
 * (NAT rebinding) moves its channel; the channel ends with the session.
 *
 * @example
 * ```ts
 * import { UdpChannels } from "./udp_channels.ts";
 * import { UdpStats } from "./udp_stats.ts";
 * import { Session } from "../sessions/session.ts";
 * const channels = new UdpChannels({
 *   port: 0,
 *   target: (address, port) => ({ address, port }),
 *   send() {},
 *   close: () => Promise.resolve(),
 * }, new UdpStats());
 * const ada = new Session(1, "ada", { send() {}, close() {} });
 * channels.open(ada, "127.0.0.1", 5000);
 * console.assert(channels.sessionAt("127.0.0.1", 5000) === ada);
 * ada.udp?.close();
 * console.assert(channels.sessionAt("127.0.0.1", 5000) === undefined);
 * ```
 * @module
 */
import type {
  DatagramSocket,
  DatagramTarget,
} from "../../net/datagram_transport.ts";
import type { Session } from "../sessions/session.ts";
import type { UdpChannel } from "./udp_channel.ts";
import type { UdpStats } from "./udp_stats.ts";

function keyOf(address: string, port: number): string {
  return `${address}:${port}`;
}

/** The channels of one UDP socket. */
export class UdpChannels {
  readonly #byKey = new Map<string, Session>();

  /** Channels that send through `socket` and count into `stats`. */
  constructor(
    readonly socket: DatagramSocket,
    readonly stats: UdpStats,
  ) {}

  /** Open channels. */
  get size(): number {
    return this.#byKey.size;
  }

  /** The live session whose channel is `address:port`, if any. */
  sessionAt(address: string, port: number): Session | undefined {
    const session = this.#byKey.get(keyOf(address, port));
    return session?.active ? session : undefined;
  }

  /**
   * Binds `address:port` to `session`, moving the session's channel if it
   * had one elsewhere and taking the address from any session that had it.
   * Call only after the handshake has been verified.
   */
  open(session: Session, address: string, port: number): UdpChannel {
    const key = keyOf(address, port);
    if (session.udp !== null && session.udp.key === key) return session.udp;
    this.#byKey.get(key)?.udp?.close();
    session.udp?.close();
    const channel = new Channel(
      key,
      this.socket.target(address, port),
      session,
      this,
    );
    this.#byKey.set(key, session);
    session.udp = channel;
    return channel;
  }

  /** Forgets `channel` (called by its `close`). */
  forget(channel: Channel): void {
    if (this.#byKey.get(channel.key) === channel.session) {
      this.#byKey.delete(channel.key);
    }
    if (channel.session.udp === channel) channel.session.udp = null;
  }

  /** Ends every channel (the server is closing). */
  clear(): void {
    for (const session of this.#byKey.values()) session.udp = null;
    this.#byKey.clear();
  }
}

class Channel implements UdpChannel {
  constructor(
    readonly key: string,
    readonly target: DatagramTarget,
    readonly session: Session,
    readonly owner: UdpChannels,
  ) {}

  send(datagram: Uint8Array): void {
    this.owner.stats.datagramsOut++;
    this.owner.socket.send(datagram, this.target);
  }

  close(): void {
    this.owner.forget(this);
  }
}
