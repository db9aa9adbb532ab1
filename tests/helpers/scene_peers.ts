/**
 * Scene test peers: a RelayClient each, in and out of a room's scene, and
 * `settle()`, which waits — by rounds of ordered barrier messages, never
 * by time — until no peer has anything left to send or to receive.
 */
import {
  type ConnectOptions,
  NetworkScene,
  RelayClient,
  type SceneOptions,
} from "../../client/mod.ts";
import { rawText } from "./incoming.ts";

/** The barrier payload; not a scene message (no tag letter first). */
const BARRIER = /^3:(\d+):#settle (\S+)$/;
const utf8 = new TextDecoder();

/** One client that can join and leave the room's scene. */
export class ScenePeer implements AsyncDisposable {
  readonly client: RelayClient;
  readonly name: string;
  scene: NetworkScene | null = null;
  /** Lines sent other than barriers. */
  sent = 0;
  readonly #barriers = new Map<string, Set<number>>();
  readonly #waiters = new Set<() => void>();
  #busy = false;

  /** The options `join` uses unless given others. */
  readonly options: SceneOptions;

  private constructor(
    client: RelayClient,
    name: string,
    options: SceneOptions,
  ) {
    this.client = client;
    this.name = name;
    this.options = options;
    client.onSent((line) => {
      if (!utf8.decode(line).startsWith("3:3:#settle ")) this.sent++;
    });
    client.onMessage((incoming) => {
      const match = BARRIER.exec(rawText(incoming));
      if (match === null) return;
      const round = match[2]!;
      const from = this.#barriers.get(round) ?? new Set();
      from.add(Number(match[1]));
      this.#barriers.set(round, from);
      for (const wake of this.#waiters) wake();
    });
  }

  /**
   * A logged-in peer that joins scenes with `options`; with the `udp`
   * channel option it opens its UDP channel too.
   */
  static async connect(
    port: number,
    name: string,
    options: SceneOptions = {},
    connect: Omit<ConnectOptions, "port"> = {},
  ): Promise<ScenePeer> {
    const client = await RelayClient.connect({ ...connect, port });
    await client.login(name);
    if (options.channel === "udp") await client.openUdp();
    return new ScenePeer(client, name, options);
  }

  /** Our session id. */
  get id(): number {
    return this.client.sessionId!;
  }

  /** True while in the scene. */
  get inScene(): boolean {
    return this.scene !== null && !this.scene.ended;
  }

  /** True while joining or leaving. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Joins `room`'s scene. */
  async join(
    room: string,
    options: SceneOptions = this.options,
  ): Promise<NetworkScene> {
    this.#busy = true;
    try {
      this.scene = await NetworkScene.join(this.client, room, options);
      return this.scene;
    } finally {
      this.#busy = false;
    }
  }

  /** Leaves the scene (and the room). */
  async leave(): Promise<void> {
    this.#busy = true;
    try {
      await this.scene?.leave();
      this.scene = null;
    } finally {
      this.#busy = false;
    }
  }

  /** Sends barrier `round` in the room's order. */
  barrier(round: string): Promise<void> {
    return this.client.sendToAllOrdered(`#settle ${round}`);
  }

  /** Resolves once barrier `round` has come from every id in `from`. */
  heard(round: string, from: readonly number[], ms: number): Promise<void> {
    const done = () => from.every((id) => this.#barriers.get(round)?.has(id));
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(
          new Error(
            `${this.name}: barrier ${round} not heard from all of ${from} within ${ms} ms`,
          ),
        );
      }, ms);
      const wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.client.close();
  }
}

/**
 * Waits until the peers in the scene are quiet: every scene flushes, then
 * each peer sends an ordered barrier and waits for everyone's. A message
 * sent before a peer's barrier reaches each other peer before that barrier,
 * so once a round completes in which nobody sent anything else, every
 * message has been received and handled and none is on its way.
 *
 * @throws Error when that takes more than `maxRounds` rounds or `ms` per round.
 */
export async function settle(
  peers: readonly ScenePeer[],
  { maxRounds = 1000, ms = 10_000 } = {},
): Promise<number> {
  const inScene = () => peers.filter((p) => p.inScene);
  const flush = () => inScene().forEach((p) => p.scene!.flush());
  const counts = () => peers.map((p) => p.sent).join();
  flush();
  let before = counts();
  const nonce = crypto.randomUUID().slice(0, 8);
  for (let n = 1; n <= maxRounds; n++) {
    const round = `${nonce}-${n}`;
    const group = inScene();
    const ids = group.map((p) => p.id);
    await Promise.all(group.map((p) => p.barrier(round)));
    await Promise.all(group.map((p) => p.heard(round, ids, ms)));
    flush();
    const after = counts();
    if (after === before && group.every((p) => p.scene!.idle)) return n;
    before = after;
  }
  throw new Error(`no quiet round within ${maxRounds} rounds`);
}
