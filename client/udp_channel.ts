/**
 * The client's UDP channel: the keyed handshake `0:<id>:<n>:<mac>:pack` (it
 * proves the login reply's secret without sending it; repeated with a growing
 * `n` until answered, since datagrams get lost), then one message per
 * datagram sent; received datagrams may be packed (several messages joined by
 * `\n`, asked for by the handshake's `:pack`) and are split back into
 * messages.
 * Only the lossy sends travel here — `3:0`, `3:1`, `3:4` and `4:`; the
 * server refuses the ordered modes over UDP, so the channel refuses them
 * before sending.
 *
 * @example
 * ```ts
 * import { RelayClient } from "./mod.ts";
 * const client = await RelayClient.connect({ port: 7777 });
 * await client.login("ada", "pw");
 * await client.openUdp();
 * await client.sendToOthers("pose 1 2 3", { channel: "udp" });
 * ```
 * @module
 */
import {
  type ClientMessage,
  decodeUdpConnected,
  DEFAULT_LIMITS,
  encodeClientMessage,
  encodeUdpProof,
  PACKED_SEPARATOR,
} from "../protocol/mod.ts";
import { udpMac } from "../net/udp_proof.ts";
import {
  type DatagramSocket,
  type DatagramTarget,
  type DatagramTransport,
  defaultDatagramTransport,
} from "../net/mod.ts";
import type { Channel } from "./channel.ts";
import { InvalidArgumentError, UdpUnavailableError } from "./errors.ts";

/** How a {@linkcode UdpChannel} is opened. */
export interface UdpChannelOptions {
  /** The server's address, as for TCP. */
  readonly host: string;
  /** The server's UDP port (the TCP port's number unless it says otherwise). */
  readonly port: number;
  /** Our session id and the secret from the login reply. */
  readonly sessionId: number;
  readonly secret: string;
  /**
   * Each message received that is not the handshake's answer: a
   * `3:<id>:msg`, one call per message even when several came packed in one
   * datagram. `data` may be reused after the call returns.
   */
  onDatagram(data: Uint8Array): void;
  /**
   * Ask the server to pack several messages into one datagram (the
   * handshake's `:pack`); true by default, since this channel unpacks them.
   */
  readonly pack?: boolean;
  /** Give up on the handshake after this long; 5 s by default. */
  readonly handshakeTimeoutMs?: number;
  /** Largest datagram sent; the server's default limit (1,200 bytes) by default. */
  readonly maxDatagramBytes?: number;
  /** The datagram API; the same choice as the server's by default. */
  readonly transport?: DatagramTransport;
}

/** The handshake is sent again this often until it is answered. */
const HELLO_INTERVAL_MS = 250;
const ZERO = 0x30;

/**
 * Hands each message of a datagram to `deliver`: the pieces between `\n`s
 * (a packed datagram; a relayed message never holds a `\n`), skipping empty
 * ones and handshake answers.
 */
function unpack(data: Uint8Array, deliver: (message: Uint8Array) => void) {
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(PACKED_SEPARATOR, start);
    if (end === -1) end = data.length;
    if (end > start && data[start] !== ZERO) {
      deliver(
        start === 0 && end === data.length ? data : data.subarray(start, end),
      );
    }
    start = end + 1;
  }
}

/** An open UDP channel to the server. */
export class UdpChannel implements Channel {
  readonly name = "udp";
  readonly #socket: DatagramSocket;
  readonly #server: DatagramTarget;
  readonly #maxBytes: number;
  #closed = false;

  private constructor(
    socket: DatagramSocket,
    server: DatagramTarget,
    maxBytes: number,
  ) {
    this.#socket = socket;
    this.#server = server;
    this.#maxBytes = maxBytes;
  }

  /**
   * Binds a local port and does the handshake.
   *
   * @throws {UdpUnavailableError} when the server does not answer in time.
   */
  static async open(options: UdpChannelOptions): Promise<UdpChannel> {
    const connected = Promise.withResolvers<void>();
    const socket = await (options.transport ?? defaultDatagramTransport()).bind(
      "0.0.0.0",
      0,
      {
        receive: (data) => {
          if (decodeUdpConnected(data) === options.sessionId) {
            connected.resolve();
          } else unpack(data, options.onDatagram);
        },
        sendFailed: () => {
          // Lossy by design: a datagram the system would not send is a lost one.
        },
      },
    );
    const server = socket.target(options.host, options.port);
    // Hundredths of a millisecond since the epoch (15 digits, the most the
    // protocol's numbers have): larger than any counter this session sent
    // before, so a channel opened again later starts higher still.
    let counter = Math.floor(
      (performance.timeOrigin + performance.now()) * 100,
    );
    const pack = options.pack ?? true;
    const hello = () => {
      counter++;
      return encodeUdpProof(
        options.sessionId,
        counter,
        udpMac(options.secret, options.sessionId, counter, pack),
        pack,
      );
    };
    const timeoutMs = options.handshakeTimeoutMs ?? 5_000;
    const deadline = Date.now() + timeoutMs;
    let answered = false;
    connected.promise.then(() => answered = true);
    while (!answered && Date.now() < deadline) {
      socket.send(hello(), server);
      await Promise.race([
        connected.promise,
        new Promise((resolve) => setTimeout(resolve, HELLO_INTERVAL_MS)),
      ]);
    }
    if (!answered) {
      await socket.close();
      throw new UdpUnavailableError(
        `no answer to the handshake from ${options.host}:${options.port} within ${timeoutMs} ms`,
      );
    }
    return new UdpChannel(
      socket,
      server,
      options.maxDatagramBytes ?? DEFAULT_LIMITS.maxDatagramBytes,
    );
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one message as one datagram: handed to the network, not
   * acknowledged.
   *
   * @throws {InvalidArgumentError} for an ordered mode or a message too big
   *   for one datagram.
   */
  send(msg: ClientMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new UdpUnavailableError("closed"));
    const lossy = msg.kind === "send-users" || msg.kind === "send-group" ||
      (msg.kind === "send" && (msg.mode === 0 || msg.mode === 1));
    if (!lossy) {
      return Promise.reject(
        new InvalidArgumentError(
          `${describe(msg)} cannot go over UDP (use TCP)`,
        ),
      );
    }
    const line = encodeClientMessage(msg);
    const datagram = line.subarray(0, line.length - 1);
    if (datagram.length > this.#maxBytes) {
      return Promise.reject(
        new InvalidArgumentError(
          `a ${datagram.length}-byte datagram is over the ${this.#maxBytes}-byte limit`,
        ),
      );
    }
    this.#socket.send(datagram, this.#server);
    return Promise.resolve();
  }

  /** Releases the local port; the server forgets the channel with the session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#socket.close();
  }
}

function describe(msg: ClientMessage): string {
  return msg.kind === "send"
    ? `send mode 3:${msg.mode}`
    : `a ${msg.kind} message`;
}
