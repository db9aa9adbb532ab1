/**
 * One test server reached over a chosen transport — TCP, TLS, WebSocket or
 * secure WebSocket — so that one protocol suite runs over each. A plain TCP
 * client is always at hand too (mixed rooms).
 */
import { RelayServer, type RelayServerOptions } from "../../server/mod.ts";
import { makeCertificates, type TestCertificates } from "./certs.ts";
import { LineClient } from "./line_client.ts";
import type { User } from "./server.ts";
import { WsLineClient } from "./ws_line_client.ts";

/** The transports a client can use. */
export type TransportName = "tcp" | "tls" | "ws" | "wss";

/** Every transport, for suites that loop over them. */
export const TRANSPORT_NAMES: readonly TransportName[] = [
  "tcp",
  "tls",
  "ws",
  "wss",
];

/** What the suites use of a raw client, whichever its transport. */
export type Link = LineClient | WsLineClient;

/** A server and clients over one transport, closed together. */
export interface TransportServer extends AsyncDisposable {
  readonly name: TransportName;
  readonly server: RelayServer;
  readonly certs: TestCertificates | null;
  /** A client over this transport. */
  client(): Promise<Link>;
  /** Runs `cleanup` when the server is disposed (before it closes). */
  defer(cleanup: () => void): void;
  /** A plain TCP client of the same server. */
  tcp(): Promise<LineClient>;
  /** A client over this transport (or `over`), logged in as `name`. */
  user(name: string, over?: TransportName): Promise<Link & User>;
  /** A logged-in member of `room` that has read its join lines. */
  member(
    name: string,
    room: string,
    over?: TransportName,
  ): Promise<Link & User>;
}

/** Starts a server that `name` clients can reach (and TCP ones). */
export async function startOver(
  name: TransportName,
  options: RelayServerOptions = {},
): Promise<TransportServer> {
  const secure = name === "tls" || name === "wss";
  const certs = secure ? await makeCertificates() : null;
  const server = await RelayServer.start({
    hostname: "127.0.0.1",
    port: 0,
    ...options,
    tls: certs === null ? undefined : {
      certificate: certs.certificate,
      port: name === "tls" ? 0 : undefined,
    },
    http: name === "ws" || name === "wss"
      ? { port: 0, ...options.http }
      : undefined,
  });
  const links: Link[] = [];
  const deferred: (() => void)[] = [];
  const open = async (over: TransportName): Promise<Link> => {
    let link: Link;
    if (over === "tcp") link = await LineClient.connect(server.port);
    else if (over === "tls") {
      link = await LineClient.connectTls(server.tlsPort, certs!.caPem);
    } else {
      link = await WsLineClient.connect(server.httpPort, {
        ca: over === "wss" ? certs!.caPem : undefined,
      });
    }
    links.push(link);
    return link;
  };
  const user = async (who: string, over: TransportName = name) => {
    const link = await open(over);
    return Object.assign(link, await link.welcome(who));
  };
  return {
    name,
    server,
    certs,
    client: () => open(name),
    defer: (cleanup) => deferred.push(cleanup),
    tcp: () => open("tcp") as Promise<LineClient>,
    user,
    async member(who, room, over = name) {
      const link = await user(who, over);
      await link.send(`2:${room}`);
      let line = await link.next();
      while (!line.startsWith("4:")) line = await link.next();
      return link;
    },
    async [Symbol.asyncDispose]() {
      for (const cleanup of deferred) cleanup();
      await Promise.all(links.map((link) => link.close()));
      await server.close();
      await certs?.[Symbol.asyncDispose]();
    },
  };
}
