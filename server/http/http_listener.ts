/**
 * The HTTP port (`serve --http-port`): WebSocket clients at `/ws`, the demo
 * page at `/`, and HTTPS/WSS when a certificate is given.
 *
 * `npm:ws` on `node:http` was chosen over `Deno.serve` with
 * `Deno.upgradeWebSocket` for flow control (and measured; bench/README.md,
 * "WebSocket"): a relay must stop reading a client (`pause()`) and know when
 * its bytes reached the kernel (`write(data, done)`). Deno's server-side
 * WebSocket has neither: it reads and fires events as fast as frames come,
 * and `send()` says nothing about when it is done. `ws` pauses its socket and
 * we write frames to that socket with a callback. Over TLS, connections come
 * from `Deno.listenTls` (see conn_duplex.ts) and are handed to the same
 * `node:http` server.
 *
 * @example
 * ```ts ignore
 * import { HttpListener } from "./http_listener.ts";
 * const http = await HttpListener.start({ hostname: "127.0.0.1", port: 0, accept, ... });
 * console.log(`ws://127.0.0.1:${http.port}/ws`);
 * await http.close();
 * ```
 * @module
 */
import type { Buffer } from "node:buffer";
import http from "node:http";
import type { Duplex } from "node:stream";
// @ts-types="@types/ws"
import { WebSocketServer } from "ws";
import type { Logger } from "../logger.ts";
import {
  type Certificate,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  handshake,
  TlsListener,
} from "../tls/mod.ts";
import type { SocketEvents, TransportSocket } from "../transport/transport.ts";
import { WsSocket } from "../transport/ws_socket.ts";
import { ConnDuplex } from "./conn_duplex.ts";
import type { OriginPolicy } from "./origins.ts";
import type { WebAssets } from "./web_assets.ts";

/** The path WebSocket clients connect to. */
export const WS_PATH = "/ws";

/** Options of {@linkcode HttpListener.start}. */
export interface HttpListenerOptions {
  readonly hostname: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** HTTPS and WSS with this certificate; plain HTTP and WS without. */
  readonly certificate?: Certificate;
  /** Which pages may open a WebSocket. */
  readonly origins: OriginPolicy;
  /** Largest WebSocket message accepted (`ws` closes past it, unbuffered). */
  readonly maxMessageBytes: number;
  /** Open HTTP(S) connections (page loads and WebSockets) at once. */
  readonly maxConnections: number;
  /** How long a TLS handshake may take. */
  readonly handshakeTimeoutMs?: number;
  /** The files served besides `/ws`. */
  readonly assets: WebAssets;
  /** The relay's accept: a WebSocket becomes one of its connections. */
  accept(socket: TransportSocket): SocketEvents;
  readonly logger: Logger;
}

/** A running HTTP(S) listener. */
export class HttpListener {
  readonly #options: HttpListenerOptions;
  readonly #server: http.Server;
  readonly #wss: WebSocketServer;
  #tls: TlsListener | null = null;
  #port = 0;
  #open = 0;
  /** Connections not upgraded to WebSocket: closed with the listener. */
  readonly #pages = new Set<Duplex>();

  private constructor(options: HttpListenerOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      clientTracking: false,
      perMessageDeflate: false,
    });
    this.#server = http.createServer((req, res) => this.#request(req, res));
    this.#server.on("connection", (socket: Duplex) => this.#connected(socket));
    this.#server.on(
      "upgrade",
      (req, socket: Duplex, head: Uint8Array) =>
        this.#upgrade(req, socket, head),
    );
    this.#server.on("clientError", (_error: Error, socket: Duplex) => {
      socket.destroy();
    });
  }

  /** Listens; resolves once connections are accepted. */
  static async start(options: HttpListenerOptions): Promise<HttpListener> {
    const listener = new HttpListener(options);
    await listener.#listen();
    return listener;
  }

  /** The port bound. */
  get port(): number {
    return this.#port;
  }

  /** True for HTTPS/WSS. */
  get secure(): boolean {
    return this.#options.certificate !== undefined;
  }

  /** Serves `certificate` to new connections (HTTPS only). */
  reload(certificate: Certificate): void {
    this.#tls?.reload(certificate);
  }

  async #listen(): Promise<void> {
    const { hostname, port, certificate } = this.#options;
    if (certificate === undefined) {
      await new Promise<void>((resolve, reject) => {
        this.#server.once("error", reject);
        this.#server.listen(port, hostname, () => {
          this.#server.off("error", reject);
          resolve();
        });
      });
      this.#port = (this.#server.address() as { port: number }).port;
      return;
    }
    const timeoutMs = this.#options.handshakeTimeoutMs ??
      DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS;
    this.#tls = TlsListener.open(hostname, port, certificate, (conn) => {
      if (this.#open >= this.#options.maxConnections) {
        conn.close();
        return;
      }
      handshake(conn, timeoutMs).then(() => {
        this.#server.emit("connection", new ConnDuplex(conn));
      }, (error: Error) => {
        this.#options.logger.info("tls.handshake_failed", {
          remote: remoteOf(conn),
          port: "http",
          error: error.message,
        });
        try {
          conn.close();
        } catch {
          // closed by the deadline already
        }
      });
    });
    this.#port = this.#tls.port;
  }

  #connected(socket: Duplex): void {
    if (this.#open >= this.#options.maxConnections) {
      socket.destroy();
      return;
    }
    this.#open++;
    this.#pages.add(socket);
    socket.once("close", () => {
      this.#open--;
      this.#pages.delete(socket);
    });
  }

  #request(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text(res, 405, "only GET here\n");
    }
    if (path === WS_PATH) {
      return text(res, 426, "this is a WebSocket endpoint\n", {
        upgrade: "websocket",
      });
    }
    const asset = this.#options.assets.get(path);
    if (asset === undefined) return text(res, 404, "not found\n");
    if (asset.body === null) {
      return text(
        res,
        503,
        `${asset.file} is not built: run deno task build:web\n`,
      );
    }
    res.writeHead(200, {
      "content-type": asset.type,
      "content-length": asset.body.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "content-security-policy":
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    });
    res.end(req.method === "HEAD" ? undefined : asset.body);
  }

  #upgrade(req: http.IncomingMessage, socket: Duplex, head: Uint8Array): void {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, "Not Found");
    const origin = req.headers.origin;
    if (!this.#options.origins.allows(origin, req.headers.host, this.secure)) {
      this.#options.logger.warn("ws.origin_refused", {
        remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        origin,
      });
      return refuseUpgrade(socket, 403, "Forbidden");
    }
    this.#pages.delete(socket);
    this.#wss.handleUpgrade(req, socket, head as Buffer, (ws) => {
      const raw = socket as Duplex & {
        remoteAddress?: string;
        remotePort?: number;
        setNoDelay?: (on: boolean) => void;
      };
      raw.setNoDelay?.(true);
      const wsSocket = new WsSocket(ws, socket, {
        remoteAddress: raw.remoteAddress ?? "unknown",
        remotePort: raw.remotePort ?? 0,
        encrypted: this.secure,
      });
      wsSocket.start(this.#options.accept(wsSocket));
    });
  }

  /**
   * Stops accepting and closes page connections; WebSockets are left to
   * the relay (it closes them with their sessions).
   */
  async close(): Promise<void> {
    if (this.#tls === null) {
      // Not awaited: in Deno the callback may wait for upgraded sockets,
      // which the relay closes after its listeners.
      this.#server.close();
    } else {
      await this.#tls.close();
    }
    for (const socket of this.#pages) socket.destroy();
    this.#wss.close();
  }
}

function text(
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    ...headers,
  });
  res.end(body);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
  );
}

function remoteOf(conn: Deno.Conn): string {
  const remote = conn.remoteAddr as Deno.NetAddr;
  return `${remote.hostname}:${remote.port}`;
}
