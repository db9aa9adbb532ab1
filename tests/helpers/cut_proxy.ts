/**
 * A TCP proxy between clients and a server that the test controls: it
 * forwards bytes both ways and cuts connections when told — now, or after
 * exactly so many more bytes in one direction (so a cut can fall in the
 * middle of a line: the bytes before it are forwarded, the rest never are).
 * It can also refuse new connections for a while (the server unreachable).
 */

/** Which way bytes go: client to server, or server to client. */
export type Direction = "up" | "down";

const READ_BYTES = 16 * 1024;

class Pair {
  #cut = false;
  readonly done: Promise<void>;
  /** Bytes still to forward before a cut, per direction; null: no cut asked. */
  budget: Record<Direction, number | null> = { up: null, down: null };
  /** Forwarded bytes so far, per direction. */
  readonly passed: Record<Direction, number> = { up: 0, down: 0 };
  onCut: (() => void) | null = null;
  /** While set, nothing is forwarded (a connection that died silently). */
  #frozen: PromiseWithResolvers<void> | null = null;

  constructor(readonly client: Deno.Conn, readonly server: Deno.Conn) {
    this.done = Promise.all([
      this.#pump(client, server, "up"),
      this.#pump(server, client, "down"),
    ]).then(() => {});
  }

  get isCut(): boolean {
    return this.#cut;
  }

  /** Forwards nothing more until cut. */
  freeze(): void {
    this.#frozen ??= Promise.withResolvers<void>();
  }

  cut(): void {
    if (this.#cut) return;
    this.#cut = true;
    this.#frozen?.resolve();
    for (const conn of [this.client, this.server]) {
      try {
        conn.close();
      } catch {
        // closed already
      }
    }
    this.onCut?.();
  }

  async #pump(from: Deno.Conn, to: Deno.Conn, dir: Direction): Promise<void> {
    const buffer = new Uint8Array(READ_BYTES);
    try {
      while (!this.#cut) {
        const n = await from.read(buffer);
        // A dead network delivers nothing, not even the end.
        if (this.#frozen !== null) await this.#frozen.promise;
        if (n === null || this.#cut) break;
        const budget = this.budget[dir];
        const forward = budget === null ? n : Math.min(n, budget);
        let offset = 0;
        while (offset < forward) {
          offset += await to.write(buffer.subarray(offset, forward));
        }
        this.passed[dir] += forward;
        if (budget !== null) {
          this.budget[dir] = budget - forward;
          if (budget - forward === 0) break;
        }
      }
    } catch {
      // the other side went away, or we cut
    }
    this.cut();
  }
}

/** A proxy on 127.0.0.1, port 0, to `127.0.0.1:targetPort`. */
export class CutProxy implements AsyncDisposable {
  readonly #listener: Deno.TcpListener;
  readonly #pairs = new Set<Pair>();
  readonly #accepting: Promise<void>;
  #refusing = false;
  #armed: { dir: Direction; bytes: number; cut: () => void } | null = null;
  #cuts = 0;
  #opened = 0;

  #target: number;

  private constructor(listener: Deno.TcpListener, targetPort: number) {
    this.#listener = listener;
    this.#target = targetPort;
    this.#accepting = this.#accept();
  }

  /** New connections go to `port` from now on (another server). */
  retarget(port: number): void {
    this.#target = port;
  }

  /** Starts a proxy to `targetPort`. */
  static start(targetPort: number): CutProxy {
    return new CutProxy(
      Deno.listen({ hostname: "127.0.0.1", port: 0 }),
      targetPort,
    );
  }

  /** The port clients connect to. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Connections cut so far (by the test or by an end). */
  get cuts(): number {
    return this.#cuts;
  }

  /** Connections open now (not cut). */
  get open(): number {
    return [...this.#pairs].filter((p) => !p.isCut).length;
  }

  /** Connections accepted so far. */
  get opened(): number {
    return this.#opened;
  }

  /** Refuse (close at once) new connections while `on`. */
  refuse(on: boolean): void {
    this.#refusing = on;
  }

  /**
   * Stops forwarding on every open connection without closing anything, as
   * a network that died silently (a sleeping phone, a lost Wi-Fi) does; the
   * connections stay frozen until cut.
   */
  freezeAll(): void {
    for (const pair of this.#pairs) pair.freeze();
  }

  /** Cuts every open connection now. */
  cutAll(): void {
    for (const pair of this.#pairs) pair.cut();
  }

  /**
   * Cuts the open connection (there must be exactly one) once `bytes` more
   * have gone `dir`; resolves when it is cut (for whatever reason).
   */
  cutAfter(dir: Direction, bytes: number): Promise<void> {
    const open = [...this.#pairs].filter((p) => !p.isCut);
    if (open.length !== 1) {
      throw new Error(`cutAfter needs one open connection, not ${open.length}`);
    }
    const pair = open[0]!;
    const cut = new Promise<void>((resolve) => (pair.onCut = resolve));
    pair.budget[dir] = bytes;
    return cut;
  }

  /**
   * Cuts the next connection accepted once `bytes` have gone `dir` on it
   * (a cut in the middle of a resume, say); resolves when it is cut.
   */
  armNext(dir: Direction, bytes: number): Promise<void> {
    return new Promise((cut) => (this.#armed = { dir, bytes, cut }));
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        if (this.#refusing) {
          client.close();
          continue;
        }
        let server: Deno.Conn;
        try {
          server = await Deno.connect({
            hostname: "127.0.0.1",
            port: this.#target,
          });
        } catch {
          client.close();
          continue;
        }
        this.#opened++;
        const pair = new Pair(client, server);
        const armed = this.#armed;
        this.#armed = null;
        if (armed !== null) {
          pair.budget[armed.dir] = armed.bytes;
          pair.onCut = armed.cut;
        }
        this.#pairs.add(pair);
        pair.done.then(() => {
          this.#cuts++;
          this.#pairs.delete(pair);
        });
      }
    } catch {
      // the listener was closed
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    this.cutAll();
    await this.#accepting;
    await Promise.all([...this.#pairs].map((p) => p.done));
  }
}
