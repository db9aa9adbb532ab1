/** Starts a relay server on port 0 for one test. */
import { RelayServer, type RelayServerOptions } from "../../server/mod.ts";
import { LineClient } from "./line_client.ts";

/** What a login told a test client. */
export interface User {
  readonly id: number;
  /** The UDP secret of the login reply; null when the server has no UDP. */
  readonly secret: string | null;
}
/**
 * Limits for tests that send in bulk to check relaying, not the rate limit:
 * the message rate is then effectively unlimited.
 */
export const NO_RATE_LIMIT = {
  maxMessagesPerSecond: 1e9,
  messageBurst: 1e9,
} as const;

/** A server plus a helper to open clients that close with it. */
export interface TestServer extends AsyncDisposable {
  readonly server: RelayServer;
  readonly port: number;
  /** A connected client, closed when the test server is disposed. */
  client(): Promise<LineClient>;
  /** A client logged in as `name`, with its id and UDP secret. */
  user(name: string): Promise<LineClient & User>;
  /** A logged-in client in `room`, having read its join lines. */
  member(name: string, room: string): Promise<LineClient & User>;
}

/** Starts a server on 127.0.0.1:0. */
export async function startServer(
  options: RelayServerOptions = {},
): Promise<TestServer> {
  const server = await RelayServer.start({
    hostname: "127.0.0.1",
    port: 0,
    ...options,
  });
  const clients: LineClient[] = [];
  const client = async () => {
    const c = await LineClient.connect(server.port);
    clients.push(c);
    return c;
  };
  const user = async (name: string) => {
    const c = await client();
    return Object.assign(c, await c.welcome(name));
  };
  const member = async (name: string, room: string) => {
    const c = await user(name);
    await c.send(`2:${room}`);
    let line = await c.next();
    while (!line.startsWith("4:")) line = await c.next();
    return c;
  };
  return {
    server,
    port: server.port,
    client,
    user,
    member,
    async [Symbol.asyncDispose]() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
    },
  };
}
