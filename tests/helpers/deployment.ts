/**
 * A deployment for tests: one real Redis and several real `serve` nodes
 * sharing it (`--cluster`), with helpers that open clients on a chosen node.
 * Everything it started is killed on dispose, also when the test fails.
 */
import { LineClient } from "./line_client.ts";
import { type ServeChild, serveChild } from "./cli.ts";
import { startRedis, type TestRedis } from "./redis.ts";

/** How long a deployment's login may take before a test fails. */
const LOGIN_MS = 15_000;

/** A logged-in test client with its id and UDP secret. */
export type Member = LineClient & { id: number; secret: string | null };

/** Redis, the nodes, and clients that close with them. */
export interface TestDeployment extends AsyncDisposable {
  readonly redis: TestRedis;
  /** The running nodes; replaced in place by {@linkcode restartNode}. */
  readonly nodes: ServeChild[];
  /** A connected client of node `node`. */
  client(node: number): Promise<LineClient>;
  /** A client of node `node` logged in as `name`. */
  user(name: string, node: number, password?: string): Promise<Member>;
  /** A client of node `node` in `room`, its join lines read. */
  member(name: string, room: string, node: number): Promise<Member>;
  /** Starts node `node` anew (after it was stopped or killed). */
  restartNode(node: number): Promise<ServeChild>;
}

/** Options of {@linkcode startDeployment}. */
export interface DeploymentOptions {
  /** How many nodes; 3 by default. */
  nodes?: number;
  /** Extra `serve` flags for every node. */
  args?: readonly string[];
  /** A Redis to share; a new one by default (and then disposed with it). */
  redis?: TestRedis;
}

/** Starts Redis (unless given) and the nodes, all at once. */
export async function startDeployment(
  options: DeploymentOptions = {},
): Promise<TestDeployment> {
  const redis = options.redis ?? await startRedis();
  const args = [
    "--cluster",
    redis.url,
    "--log-level",
    "warn",
    ...(options.args ?? []),
  ];
  const nodes: ServeChild[] = [];
  const clients: LineClient[] = [];
  const dispose = async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(nodes.map((n) => n[Symbol.asyncDispose]()));
    if (options.redis === undefined) await redis[Symbol.asyncDispose]();
  };
  try {
    nodes.push(
      ...await Promise.all(
        Array.from({ length: options.nodes ?? 3 }, () => serveChild(args)),
      ),
    );
  } catch (error) {
    await dispose();
    throw error;
  }
  const client = async (node: number) => {
    const c = await LineClient.connect(nodes[node]!.port);
    clients.push(c);
    return c;
  };
  const user = async (name: string, node: number, password = "pw") => {
    const c = await client(node);
    // A node's first login checks the account and registers the session in
    // Redis: under a full parallel suite on two cores it once took over 5 s.
    return Object.assign(c, await c.welcome(name, password, LOGIN_MS));
  };
  return {
    redis,
    nodes,
    client,
    user,
    async member(name, room, node) {
      const c = await user(name, node);
      await c.send(`2:${room}`);
      let line = await c.next();
      while (!line.startsWith("4:")) line = await c.next();
      return c;
    },
    async restartNode(node) {
      await nodes[node]![Symbol.asyncDispose]();
      nodes[node] = await serveChild(args);
      return nodes[node]!;
    },
    [Symbol.asyncDispose]: dispose,
  };
}
