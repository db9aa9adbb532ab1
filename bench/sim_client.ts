/**
 * One simulated client of the load generator: logs in, joins, sends
 * time-stamped messages (over TCP, or as datagrams over its UDP channel) and
 * counts what it receives, into its worker's counters and histogram.
 *
 * @example
 * ```ts
 * import { SimClient } from "./sim_client.ts";
 * console.assert(typeof SimClient === "function");
 * ```
 * @module
 */
import type { Histogram } from "./histogram.ts";
import type { ClientSpec, Counters, LoadConfig } from "./load_protocol.ts";
import { connectSim, type SimSocket } from "./sim_socket.ts";

/** What a simulated client reads and updates of its worker. */
export interface SimWorker {
  readonly config: LoadConfig;
  readonly counters: Counters;
  readonly histogram: Histogram;
  /** Inside the measured window: latencies are recorded. */
  readonly measuring: boolean;
  /** Sending is on (between `go` and `stop`). */
  readonly sending: boolean;
  /** The worker is closing its clients: their ends are not disconnects. */
  readonly closing: boolean;
}

const LF = 10;
const COLON = 58;
const TS_DIGITS = 16;
const enc = new TextEncoder();

/** Wall-clock microseconds, comparable between the workers of one process. */
function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A lost datagram's place in the window is given back after this long. */
const UDP_WRITE_OFF_MS = 50;
/**
 * Datagram sends a client may have waiting in the runtime: sends are not
 * flow-controlled, so without a cap a fast generator queues without bound.
 */
const MAX_PENDING_SENDS = 64;

/** One simulated client on one TCP connection, and a UDP channel if asked. */
export class SimClient {
  readonly socket: SimSocket;
  id = -1;
  #secret = "";
  #udp: Deno.DatagramConn | null = null;
  #udpServer: Deno.NetAddr | null = null;
  #udpConnected: PromiseWithResolvers<void> = Promise.withResolvers();
  #lastEchoAt = 0;
  #pendingSends = 0;
  #pending: Uint8Array | null = null;
  #line: Uint8Array;
  #tsOffset: number;
  #sentHere = 0;
  #inFlight = 0;
  #startedAt = 0;
  #joined: PromiseWithResolvers<void> = Promise.withResolvers();
  partnerIsPinger = false;

  constructor(
    readonly worker: SimWorker,
    readonly spec: ClientSpec,
    readonly host: string,
    port: number,
    readonly udpPort: number,
  ) {
    const cfg = worker.config;
    const header = enc.encode(`3:${cfg.mode}:`);
    const pad = Math.max(0, cfg.payloadBytes - TS_DIGITS - 1);
    this.#line = new Uint8Array(header.length + TS_DIGITS + 1 + pad + 1);
    this.#line.set(header, 0);
    this.#tsOffset = header.length;
    this.#line[this.#tsOffset + TS_DIGITS] = COLON;
    this.#line.fill(120, this.#tsOffset + TS_DIGITS + 1, this.#line.length - 1);
    this.#line[this.#line.length - 1] = LF;
    this.socket = connectSim(cfg.socketApi ?? "node", host, port, {
      data: (chunk) => this.#onData(chunk),
      close: () => {
        if (!worker.closing) worker.counters.disconnects++;
      },
    });
  }

  /** Logs in, joins its room and opens its UDP channel if asked; resolves once done. */
  async enter(): Promise<void> {
    this.socket.write(`0:${this.spec.name}:bench\n2:${this.spec.room}\n`);
    await this.#joined.promise;
    if (this.worker.config.transport === "udp") await this.#openUdp();
  }

  /** The secure handshake `0:<id>:<secret>`, repeated until answered (datagrams get lost). */
  async #openUdp(): Promise<void> {
    if (this.#secret === "") {
      throw new Error("the server sent no UDP secret: is UDP on?");
    }
    const conn = Deno.listenDatagram({
      hostname: "127.0.0.1",
      port: 0,
      transport: "udp",
    });
    this.#udp = conn;
    this.#udpServer = {
      transport: "udp",
      hostname: this.host,
      port: this.udpPort,
    };
    (async () => {
      for await (const [data] of conn) this.#onDatagram(data);
    })().catch(() => {});
    const hello = enc.encode(`0:${this.id}:${this.#secret}`);
    for (let attempt = 0; attempt < 25; attempt++) {
      await conn.send(hello, this.#udpServer);
      const answered = await Promise.race([
        this.#udpConnected.promise.then(() => true),
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(false), 200)
        ),
      ]);
      if (answered) return;
    }
    throw new Error(`no UDP handshake answer for ${this.spec.name}`);
  }

  #onDatagram(data: Uint8Array): void {
    if (data[0] === 48 /* 0 */) {
      this.#udpConnected.resolve();
      return;
    }
    if (data[0] !== 51 /* 3 */) return;
    const echoes = this.#onMessage(data, 0, data.length, nowMicros());
    if (echoes > 0) this.#echoed(echoes);
  }

  /** Closes the TCP connection and the UDP channel. */
  close(): void {
    this.socket.destroy();
    try {
      this.#udp?.close();
    } catch {
      // already closed
    }
  }

  get isPinger(): boolean {
    return this.spec.index % 2 === 0;
  }

  start(now: number): void {
    // Spread the clients' send times over one period: real players are not
    // in phase, and in-phase senders measure the burst, not the relay.
    const period = this.worker.config.rate > 0
      ? 1000 / this.worker.config.rate
      : 0;
    this.#startedAt = now - period * Math.random();
    const cfg = this.worker.config;
    if (cfg.pattern === "room" && cfg.rate === 0) this.#send(cfg.window);
    if (cfg.pattern === "pingpong" && this.isPinger) this.#send(1);
  }

  tick(now: number): void {
    if (!this.worker.sending) return;
    if (this.worker.config.rate === 0) {
      // UDP window: give up on datagrams that never came back.
      if (performance.now() - this.#lastEchoAt > UDP_WRITE_OFF_MS) {
        this.#lastEchoAt = performance.now();
        this.#inFlight = 0;
        this.#send(this.worker.config.window);
      }
      return;
    }
    const due =
      Math.floor(((now - this.#startedAt) * this.worker.config.rate) / 1000) -
      this.#sentHere;
    if (due > 0) this.#send(Math.min(due, 1000));
  }

  /** Sends `n` messages in one write, each stamped with the send time. */
  #send(n: number): void {
    if (n <= 0 || !this.worker.sending) return;
    const line = this.#line;
    const ts = String(nowMicros()).padStart(TS_DIGITS, "0");
    for (let i = 0; i < TS_DIGITS; i++) {
      line[this.#tsOffset + i] = ts.charCodeAt(i);
    }
    if (this.#udp !== null) {
      // One datagram per message, without the newline; each its own copy,
      // since the send completes later.
      n = Math.min(n, MAX_PENDING_SENDS - this.#pendingSends);
      for (let k = 0; k < n; k++) {
        this.#pendingSends++;
        this.#udp.send(line.slice(0, line.length - 1), this.#udpServer!)
          .catch(() => {})
          .finally(() => this.#pendingSends--);
      }
    } else {
      const out = new Uint8Array(line.length * n);
      for (let k = 0; k < n; k++) out.set(line, k * line.length);
      this.socket.write(out);
    }
    this.#sentHere += n;
    this.#inFlight += n;
    this.worker.counters.sent += n;
  }

  #onData(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#pending !== null) {
      data = new Uint8Array(this.#pending.length + chunk.length);
      data.set(this.#pending);
      data.set(chunk, this.#pending.length);
      this.#pending = null;
    }
    const now = nowMicros();
    let start = 0;
    let echoes = 0;
    let end = data.indexOf(LF);
    while (end !== -1) {
      if (data[start] === 51 /* 3 */) {
        echoes += this.#onMessage(data, start, end, now);
      } else this.#onControl(data.subarray(start, end));
      start = end + 1;
      end = data.indexOf(LF, start);
    }
    if (start < data.length) this.#pending = data.slice(start);
    if (echoes > 0) this.#echoed(echoes);
  }

  /** `n` of its own messages came back (or, for ping-pong, the partner answered). */
  #echoed(n: number): void {
    this.#lastEchoAt = performance.now();
    this.#inFlight = Math.max(0, this.#inFlight - n);
    if (this.worker.config.pattern === "room") this.#send(n);
    else if (this.isPinger) this.#send(n);
  }

  /** Counts one `3:from:ts:…` line; returns 1 when it is one this client must answer. */
  #onMessage(
    data: Uint8Array,
    start: number,
    end: number,
    now: number,
  ): number {
    const worker = this.worker;
    worker.counters.delivered++;
    let i = start + 2;
    let from = 0;
    while (data[i] !== COLON && i < end) from = from * 10 + data[i++]! - 48;
    let ts = 0;
    for (let k = i + 1; k < i + 1 + TS_DIGITS; k++) {
      ts = ts * 10 + data[k]! - 48;
    }
    const pattern = worker.config.pattern;
    if (pattern === "pingpong") {
      if (this.isPinger) {
        if (worker.measuring) worker.histogram.record(now - ts);
        return 1;
      }
      // The ponger bounces the payload back unchanged.
      if (worker.sending) {
        const payload = data.subarray(i + 1, end);
        const udp = this.#udp !== null;
        const out = new Uint8Array(4 + payload.length + (udp ? 0 : 1));
        out.set(enc.encode("3:0:"));
        out.set(payload, 4);
        if (udp) this.#udp!.send(out, this.#udpServer!).catch(() => {});
        else {
          out[out.length - 1] = LF;
          this.socket.write(out);
        }
        worker.counters.sent++;
      }
      return 0;
    }
    if (worker.measuring) worker.histogram.record(now - ts);
    return from === this.id && worker.config.rate === 0 ? 1 : 0;
  }

  #onControl(line: Uint8Array): void {
    const text = new TextDecoder().decode(line);
    if (this.id === -1 && text.startsWith("0:")) {
      const [, id, secret] = text.split(":");
      this.id = Number(id);
      this.#secret = secret ?? "";
      if (this.id < 0) {
        this.#joined.reject(new Error(`login refused for ${this.spec.name}`));
      }
    } else if (text.startsWith("4:")) {
      this.#joined.resolve();
    } else if (text.startsWith("9:")) {
      this.#joined.reject(new Error(`${this.spec.name}: ${text}`));
    }
  }
}
