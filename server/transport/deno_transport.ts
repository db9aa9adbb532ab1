/**
 * TCP through `Deno.listen`, kept to measure against {@linkcode NodeTcpTransport}
 * (`serve --tcp-impl deno`, `deno task bench`).
 *
 * @example
 * ```ts
 * import { DenoTcpTransport } from "./deno_transport.ts";
 * const server = await new DenoTcpTransport().listen("127.0.0.1", 0, () => ({
 *   data() {},
 *   close() {},
 * }));
 * await server.close();
 * ```
 * @module
 */
import { DenoSocket } from "./deno_socket.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

/** Listens with `Deno.listen`. */
export class DenoTcpTransport implements Transport {
  /** Starts a listener. */
  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ): Promise<TransportServer> {
    const listener = Deno.listen({ hostname, port, transport: "tcp" });
    const loop = (async () => {
      try {
        for await (const conn of listener) {
          conn.setNoDelay(true);
          conn.setKeepAlive(true);
          const socket = new DenoSocket(conn);
          socket.readLoop(accept(socket));
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.BadResource)) throw error;
      }
    })();
    return Promise.resolve({
      port: (listener.addr as Deno.NetAddr).port,
      close: async () => {
        listener.close();
        await loop;
      },
    });
  }
}
