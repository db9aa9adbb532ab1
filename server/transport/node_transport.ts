/**
 * TCP through `node:net`: the default where the epoll transport cannot run
 * (not Linux, no FFI, a host name to listen on; see default_transport.ts).
 *
 * Chosen by measurement over `Deno.listen` (numbers in docs/design.md): in
 * Deno it relayed more deliveries per second on our code and holds less
 * memory per idle connection.
 *
 * @example
 * ```ts
 * import { NodeTcpTransport } from "./node_transport.ts";
 * const server = await new NodeTcpTransport().listen("127.0.0.1", 0, () => ({
 *   data() {},
 *   close() {},
 * }));
 * await server.close();
 * ```
 * @module
 */
import net from "node:net";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

/** Keepalive probes start after this much silence, to find dead peers. */
const KEEPALIVE_DELAY_MS = 30_000;

class NodeSocket implements TransportSocket {
  readonly remote: string;
  readonly remoteAddress: string;
  constructor(readonly socket: net.Socket) {
    this.remoteAddress = socket.remoteAddress ?? "unknown";
    this.remote = `${this.remoteAddress}:${socket.remotePort ?? 0}`;
  }
  write(data: Uint8Array, done: (error?: Error | null) => void): void {
    this.socket.write(data, done);
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    // Do not wait for the peer to close its side: a closing client is done.
    this.socket.end(() => this.socket.destroy());
  }
  destroy(): void {
    this.socket.destroy();
  }
}

/** Listens with `node:net`; Nagle off (small messages must not wait), keepalive on. */
export class NodeTcpTransport implements Transport {
  /** Starts a listener. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    // allowHalfOpen: a peer's FIN is reported (events.end) rather than
    // answered by node behind the relay's back, so the session ends at once.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
      const events = accept(new NodeSocket(socket));
      let closed = false;
      let failure: Error | undefined;
      socket.on("data", (chunk: Uint8Array) => events.data(chunk));
      socket.on("end", () => events.end ? events.end() : socket.end());
      socket.on("error", (error) => failure = error);
      socket.on("close", () => {
        if (closed) return;
        closed = true;
        events.close(failure);
      });
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, hostname, () => {
        server.off("error", reject);
        const bound = server.address() as net.AddressInfo;
        resolve({
          port: bound.port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        });
      });
    });
  }
}
