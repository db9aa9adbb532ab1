/**
 * The UDP channel's listener: datagrams -> size check -> handshake or
 * channel lookup -> the protocol decoder -> the lossy relay.
 *
 * Nothing that fails is ever answered (no error datagrams): an answer to a
 * forged source address would make the server a reflector. Only a verified
 * handshake gets a reply, `0:<id>:connected`, no larger than what proved it
 * (the bare legacy form excepted), and sent to the address that proved it.
 *
 * @example
 * ```ts
 * import { UdpListener } from "./udp_listener.ts";
 * console.assert(typeof UdpListener.bind === "function");
 * ```
 * @module
 */
import {
  decodeClientLine,
  decodeUdpHello,
  decodeUdpProof,
  encodeUdpConnected,
  isUdpHello,
  type UdpHello,
} from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import type {
  DatagramSocket,
  DatagramTransport,
} from "../../net/datagram_transport.ts";
import { relayDatagram } from "./udp_relay.ts";
import { errorField } from "../logger.ts";
import type { Session } from "../sessions/session.ts";
import { UdpChannels } from "./udp_channels.ts";
import { udpProofMatches, udpSecretMatches } from "./udp_secret.ts";
import { DropReason, UdpStats } from "./udp_stats.ts";

/** Options of {@linkcode UdpListener.bind}. */
export interface UdpListenerOptions {
  readonly hostname: string;
  readonly port: number;
  readonly transport: DatagramTransport;
  /** Also accept the seeds' bare handshake `0:<id>` from the session's TCP IP. */
  readonly legacy: boolean;
  /**
   * Pack relayed messages for channels whose handshake asked for it (`:pack`);
   * false never packs (`serve --no-udp-packing`).
   */
  readonly packing: boolean;
}

/** The UDP port could not be bound; `cause` is the system's error. */
export class UdpBindError extends Error {
  /** Stable, for programs. */
  readonly code = "udp-bind";

  /** Describes a failed bind of `hostname:port`. */
  constructor(hostname: string, port: number, cause: unknown) {
    super(
      `cannot listen on udp://${hostname}:${port}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = "UdpBindError";
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Drops one trailing `\n` or `\r\n`, so that `nc -u` lines work. */
function withoutLineEnd(data: Uint8Array): Uint8Array {
  let end = data.length;
  if (data[end - 1] !== LF) return data;
  end--;
  if (data[end - 1] === CR) end--;
  return data.subarray(0, end);
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same IPv4 host. */
function host(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** A bound UDP socket serving the sessions of one server. */
export class UdpListener {
  readonly stats = new UdpStats();
  readonly #ctx: ServerContext;
  readonly #legacy: boolean;
  readonly #packing: boolean;
  #socket: DatagramSocket | null = null;
  #channels: UdpChannels | null = null;

  private constructor(ctx: ServerContext, legacy: boolean, packing: boolean) {
    this.#ctx = ctx;
    this.#legacy = legacy;
    this.#packing = packing;
  }

  /** Binds the socket; resolves once datagrams are received. */
  static async bind(
    ctx: ServerContext,
    options: UdpListenerOptions,
  ): Promise<UdpListener> {
    const listener = new UdpListener(ctx, options.legacy, options.packing);
    let socket: DatagramSocket;
    try {
      socket = await options.transport.bind(options.hostname, options.port, {
        receive: listener.#receive,
        sendFailed: listener.#sendFailed,
      });
    } catch (error) {
      throw new UdpBindError(options.hostname, options.port, error);
    }
    listener.#socket = socket;
    listener.#channels = new UdpChannels(
      socket,
      listener.stats,
      ctx.limits.maxDatagramBytes,
    );
    ctx.logger.info("udp.listen", {
      port: socket.port,
      api: options.transport.constructor.name,
      legacy: options.legacy,
      packing: options.packing,
    });
    return listener;
  }

  /** The UDP port bound. */
  get port(): number {
    return this.#socket?.port ?? 0;
  }

  /** Open channels. */
  get channelCount(): number {
    return this.#channels?.size ?? 0;
  }

  #receive = (bytes: Uint8Array, address: string, port: number): void => {
    const channels = this.#channels;
    if (channels === null) return;
    this.stats.datagramsIn++;
    try {
      if (bytes.length > this.#ctx.limits.maxDatagramBytes) {
        this.#drop(DropReason.Oversized, address, port);
        return;
      }
      const data = withoutLineEnd(bytes);
      if (data.indexOf(LF) !== -1) {
        // A relayed `\n` would let a sender forge lines in TCP receivers' streams.
        this.#drop(DropReason.Malformed, address, port);
      } else if (isUdpHello(data)) {
        this.#hello(channels, data, address, port);
      } else {
        const session = channels.sessionAt(address, port);
        if (session === undefined) {
          this.#drop(DropReason.UnknownSender, address, port);
          return;
        }
        const limits = this.#ctx.limits;
        if (
          !session.takeDatagram(
            performance.now(),
            limits.maxDatagramsPerSecond,
            limits.datagramBurst,
          )
        ) {
          this.#drop(DropReason.RateLimited, address, port, session.id);
          return;
        }
        const msg = decodeClientLine(data, this.#ctx.limits);
        const dropped = msg.kind === "invalid"
          ? DropReason.Malformed
          : relayDatagram(this.#ctx, session, msg, this.stats);
        if (dropped !== null) this.#drop(dropped, address, port, session.id);
      }
    } catch (error) {
      // One bad datagram must not stop the socket; a bug is still logged.
      this.#ctx.logger.error("udp.crash", {
        remote: `${address}:${port}`,
        error: errorField(error, true),
      });
    }
  };

  #hello(
    channels: UdpChannels,
    data: Uint8Array,
    address: string,
    port: number,
  ): void {
    const hello = decodeUdpHello(data);
    if (hello === null) {
      this.#drop(DropReason.Malformed, address, port);
      return;
    }
    const session = this.#ctx.sessions.get(hello.id);
    if (
      session === undefined || !this.#admits(session, hello, address, port)
    ) {
      this.#drop(DropReason.BadHandshake, address, port, hello.id);
      return;
    }
    const previous = session.udp?.key;
    const previousPacking = session.udp?.packing;
    // Each accepted handshake sets packing anew, a repeat included: the
    // client that sent the latest one is the one that has to unpack.
    const channel = channels.open(
      session,
      address,
      port,
      hello.pack && this.#packing,
    );
    if (previous !== channel.key || previousPacking !== channel.packing) {
      this.#ctx.logger.info("udp.channel", {
        session: session.id,
        remote: channel.key,
        moved_from: previous,
        form: hello.secret === null
          ? "legacy"
          : decodeUdpProof(hello.secret) === null
          ? "secure"
          : "keyed",
        packing: channel.packing,
      });
    }
    // Answered every time: the client repeats its handshake until it hears this.
    channel.sendAlone(encodeUdpConnected(session.id));
  }

  #admits(
    session: Session,
    hello: UdpHello,
    address: string,
    port: number,
  ): boolean {
    if (hello.secret !== null) {
      const secret = session.udpSecret;
      if (secret === null) return false;
      const proof = decodeUdpProof(hello.secret);
      if (proof === null) {
        // A session on TLS/WSS never takes its secret in clear: a client
        // that sent it so has shown it to the network.
        return session.link.encrypted !== true &&
          udpSecretMatches(secret, hello.secret);
      }
      if (
        !udpProofMatches(
          secret,
          session.id,
          proof.counter,
          proof.mac,
          hello.pack,
        )
      ) {
        return false;
      }
      // A counter must grow: a recorded handshake replayed from another
      // address is refused; the same one from the channel's own address is
      // a repeat and answered again.
      if (proof.counter > session.udpCounter) {
        session.udpCounter = proof.counter;
        return true;
      }
      return proof.counter === session.udpCounter &&
        session.udp?.key === `${address}:${port}`;
    }
    const tcpAddress = session.link.remoteAddress;
    return this.#legacy && tcpAddress !== undefined &&
      host(tcpAddress) === host(address);
  }

  #drop(
    reason: DropReason,
    address: string,
    port: number,
    session?: number,
  ): void {
    this.stats.drop(reason);
    this.#ctx.logger.debug("udp.drop", {
      reason,
      remote: `${address}:${port}`,
      session,
    });
  }

  #sendFailed = (error?: Error): void => {
    this.stats.drop(DropReason.SendFailed);
    this.#ctx.logger.debug("udp.send_failed", { error: error?.message });
  };

  /** Ends every channel and releases the port. */
  async close(): Promise<void> {
    const socket = this.#socket;
    this.#channels?.clear();
    this.#channels = null;
    this.#socket = null;
    await socket?.close();
  }
}
