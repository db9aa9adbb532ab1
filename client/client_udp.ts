/**
 * A client's UDP channel: opened for the current session with the secret
 * from its login reply, closed with the session, opened again after a
 * resume if it was open.
 *
 * @example
 * ```ts ignore
 * import { ClientUdp } from "./client_udp.ts";
 * // RelayClient builds one; RelayClient.openUdp() opens it.
 * ```
 * @module
 */
import type { ClientTransport, UdpChannelLike } from "./client_transport.ts";
import type { ResolvedServer } from "./connect_options.ts";
import { NotLoggedInError, UdpUnavailableError } from "./errors.ts";
import { decodeIncoming, type Incoming } from "./incoming.ts";
import type { Rejoin } from "./rejoin.ts";
import type { RoomState } from "./room_state.ts";
import type { UdpChannelOptions } from "./udp_channel.ts";

/** What the UDP channel needs of its client. */
export interface ClientUdpParts {
  readonly transport: ClientTransport;
  readonly server: ResolvedServer;
  readonly state: RoomState;
  readonly rejoin: Rejoin;
  /** Hands an incoming datagram to the client's listeners. */
  deliver(incoming: Incoming): void;
}

/** The UDP channel of a client's session, if open. */
export class ClientUdp {
  readonly #parts: ClientUdpParts;
  #udp: UdpChannelLike | null = null;

  /** The channel's client. */
  constructor(parts: ClientUdpParts) {
    this.#parts = parts;
  }

  /** The channel while it is open, else null. */
  get channel(): UdpChannelLike | null {
    const udp = this.#udp;
    return udp === null || udp.isClosed ? null : udp;
  }

  /**
   * Opens the channel of the current session (closing one still open).
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} when the server offers no UDP (no secret in
   *   its login reply) or does not answer the handshake.
   */
  async open(
    options: Pick<UdpChannelOptions, "handshakeTimeoutMs" | "transport">,
  ): Promise<void> {
    const { state, transport, server } = this.#parts;
    const sessionId = state.sessionId;
    if (sessionId === null) throw new NotLoggedInError("openUdp");
    const secret = state.udpSecret;
    if (secret === null) {
      throw new UdpUnavailableError(
        "the server's login reply has no UDP secret (is UDP off?)",
      );
    }
    const openUdp = transport.openUdp;
    if (openUdp === undefined) {
      throw new UdpUnavailableError(
        `the ${transport.name} transport has no UDP`,
      );
    }
    const udpPort = server.udpPort;
    if (udpPort === null) {
      throw new UdpUnavailableError(
        "connected by WebSocket: give ConnectOptions.udpPort to use UDP",
      );
    }
    await this.closeChannel();
    this.#udp = await openUdp({
      ...options,
      host: server.address.host,
      port: udpPort,
      sessionId,
      secret,
      onDatagram: (data) =>
        this.#parts.deliver({ ...decodeIncoming(data), via: "udp" }),
    });
    this.#parts.rejoin.udp = true;
  }

  /** Closes the channel, if open, and not to be opened again after a resume. */
  async close(): Promise<void> {
    this.#parts.rejoin.udp = false;
    await this.closeChannel();
  }

  /** Closes the channel, if open (a resume opens it again if it was). */
  async closeChannel(): Promise<void> {
    const udp = this.#udp;
    this.#udp = null;
    await udp?.close();
  }
}
