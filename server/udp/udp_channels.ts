/**
 * Which session each UDP address:port belongs to. Only an accepted handshake
 * binds an address; a new handshake of the same session from a new port
 * (NAT rebinding) moves its channel; the channel ends with the session.
 *
 * A channel whose handshake asked for packing keeps the messages relayed to
 * it during one turn (one batch of datagrams read, for the epoll transport
 * up to 256) and sends them at the turn's end, packed by
 * {@linkcode packMessages}: no timer, nothing waits past the turn. Closing a
 * channel sends what it kept first, to its old address, as an unpacked
 * channel would have done already.
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
 * }, new UdpStats(), 1200);
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
import { packMessages } from "./udp_packing.ts";
import type { UdpStats } from "./udp_stats.ts";

function keyOf(address: string, port: number): string {
  return `${address}:${port}`;
}

/** The channels of one UDP socket. */
export class UdpChannels {
  readonly #byKey = new Map<string, Session>();
  /** Packing channels holding messages until the end of the turn. */
  readonly #due: Channel[] = [];
  #flushQueued = false;

  /**
   * Channels that send through `socket` and count into `stats`; a packed
   * datagram holds at most `maxDatagramBytes` (the datagram limit).
   */
  constructor(
    readonly socket: DatagramSocket,
    readonly stats: UdpStats,
    readonly maxDatagramBytes: number,
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
  open(
    session: Session,
    address: string,
    port: number,
    packing = false,
  ): UdpChannel {
    const key = keyOf(address, port);
    const current = session.udp;
    if (current !== null && current.key === key) {
      if (current instanceof Channel) current.packing = packing;
      return current;
    }
    this.#byKey.get(key)?.udp?.close();
    current?.close();
    const channel = new Channel(
      key,
      this.socket.target(address, port),
      session,
      this,
    );
    channel.packing = packing;
    this.#byKey.set(key, session);
    session.udp = channel;
    return channel;
  }

  /** Has `channel`'s kept messages sent at the end of this turn. */
  due(channel: Channel): void {
    this.#due.push(channel);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      // A microtask runs once the batch's datagrams are all handled (the
      // epoll transport hands a whole recvmmsg round over synchronously),
      // still within the turn: no timer, no wait for more.
      queueMicrotask(this.#flush);
    }
  }

  #flush = (): void => {
    this.#flushQueued = false;
    const due = this.#due;
    // A channel's flush only sends: it never makes another channel due.
    for (let i = 0; i < due.length; i++) due[i]!.flush();
    due.length = 0;
  };

  /** Forgets `channel` (called by its `close`). */
  forget(channel: Channel): void {
    if (this.#byKey.get(channel.key) === channel.session) {
      this.#byKey.delete(channel.key);
    }
    if (channel.session.udp === channel) channel.session.udp = null;
  }

  /** Ends every channel (the server is closing), sending what they kept. */
  clear(): void {
    this.#flush();
    for (const session of this.#byKey.values()) session.udp = null;
    this.#byKey.clear();
  }
}

class Channel implements UdpChannel {
  packing = false;
  /**
   * Messages kept for the end of the turn (due while not empty); made on
   * the first one and reused every turn after, not allocated per turn.
   */
  #kept: Uint8Array[] | null = null;

  constructor(
    readonly key: string,
    readonly target: DatagramTarget,
    readonly session: Session,
    readonly owner: UdpChannels,
  ) {}

  send(message: Uint8Array): void {
    this.owner.stats.messagesOut++;
    if (!this.packing) {
      this.sendAlone(message);
      return;
    }
    const kept = this.#kept ??= [];
    if (kept.length === 0) this.owner.due(this);
    kept.push(message);
  }

  sendAlone(datagram: Uint8Array): void {
    this.owner.stats.datagramsOut++;
    this.owner.socket.send(datagram, this.target);
  }

  /** Sends the kept messages: packed, unless a handshake since turned packing off. */
  flush(): void {
    const kept = this.#kept;
    if (kept === null || kept.length === 0) return;
    if (kept.length === 1 || !this.packing) {
      for (const message of kept) this.sendAlone(message);
    } else {
      this.owner.stats.messagesPacked += packMessages(
        kept,
        this.owner.maxDatagramBytes,
        this,
      );
    }
    kept.length = 0;
  }

  close(): void {
    this.flush();
    this.owner.forget(this);
  }
}
