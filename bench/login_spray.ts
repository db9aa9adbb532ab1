/**
 * Logins under a password spray: how many password checks this machine does
 * per second, and how long a real user's correct login takes while 8
 * addresses (127.0.0.2 to .9, loopback) with 32 connections each guess
 * passwords for made-up usernames as fast as they are answered. The server
 * is in this process, with the default hash parameters and limits.
 *
 * ```sh
 * deno run -A bench/login_spray.ts            # 10 real logins during the spray
 * deno run -A bench/login_spray.ts --logins 30
 * ```
 *
 * Figures: docs/protocol.md ("Failed logins") and bench/README.md.
 * @module
 */
import net from "node:net";
import { parseArgs } from "node:util";
import {
  AccountAdmin,
  AccountsAuthenticator,
  openStore,
  PasswordHasher,
  RelayServer,
} from "../server/mod.ts";

const { values } = parseArgs({
  options: {
    logins: { type: "string", default: "10" },
    addresses: { type: "string", default: "8" },
    "per-address": { type: "string", default: "32" },
  },
});
const LOGINS = Number(values.logins);
const ADDRESSES = Number(values.addresses);
const PER_ADDRESS = Number(values["per-address"]);

/** Password checks per second at each concurrency, on wrong passwords. */
async function checksPerSecond(): Promise<void> {
  for (const concurrency of [1, 2]) {
    const hasher = new PasswordHasher({ maxConcurrent: concurrency });
    const stored = await hasher.hash("the password");
    const n = 40;
    const start = performance.now();
    await Promise.all(
      Array.from(
        { length: n },
        (_, i) => hasher.verify(`guess ${i}`, stored, { lane: `${i}` }),
      ),
    );
    const s = (performance.now() - start) / 1000;
    console.log(
      `password checks, ${concurrency} at a time: ${(n / s).toFixed(1)}/s`,
    );
  }
}

/** A line connection from `localAddress` that answers one line at a time. */
function connect(port: number, localAddress: string) {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  let buffer = "";
  let closed = false;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf("\n")) !== -1) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
    wake?.();
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
    wake?.();
  });
  const ready = new Promise<void>((resolve) => socket.once("connect", resolve));
  return {
    ready,
    send: (line: string) => !closed && socket.write(line + "\n"),
    async next(): Promise<string | null> {
      while (lines.length === 0) {
        if (closed) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return lines.shift()!;
    },
    close: () => socket.destroy(),
  };
}

await checksPerSecond();

const store = await openStore(":memory:");
const hasher = new PasswordHasher();
await new AccountAdmin(store, { hasher }).add("ada", "real password");
const auth = new AccountsAuthenticator({ store, hasher });
const server = await RelayServer.start({ port: 0, auth, store, hasher });
let stopped = false;
const tally = { answered: 0, busy: 0, rateLimited: 0 };
const sprayers = [];
for (let a = 0; a < ADDRESSES; a++) {
  for (let c = 0; c < PER_ADDRESS; c++) {
    const conn = connect(server.port, `127.0.0.${a + 2}`);
    sprayers.push(
      (async () => {
        await conn.ready;
        for (let n = 0; !stopped; n++) {
          if (!conn.send(`0:spray${a}_${c}_${n}:guess`)) return;
          let line = await conn.next();
          if (line === null) return;
          if (line.startsWith("9:0:busy")) tally.busy++;
          if (line.startsWith("9:0:rate-limited")) tally.rateLimited++;
          if (line.startsWith("9:0:")) line = await conn.next();
          tally.answered++;
        }
      })().finally(() => conn.close()),
    );
  }
}
// Let the spray fill the queue before the first real login.
while (hasher.queued < 16) await new Promise((r) => setTimeout(r, 50));
const times: number[] = [];
for (let i = 0; i < LOGINS; i++) {
  const ada = connect(server.port, "127.0.0.1");
  await ada.ready;
  const start = performance.now();
  ada.send("0:ada:real password");
  const reply = await ada.next();
  times.push(performance.now() - start);
  if (!reply?.startsWith("0:")) console.log(`real login refused: ${reply}`);
  ada.close();
  await new Promise((r) => setTimeout(r, 200));
}
// The sprayers end on their next answer, or when the server closes.
stopped = true;
await server.close();
await Promise.allSettled(sprayers);
await hasher.idle();
await store.close();
times.sort((a, b) => a - b);
const pick = (q: number) =>
  times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
console.log(
  `spray: ${ADDRESSES} addresses x ${PER_ADDRESS} connections; ${tally.answered} attempts answered (${tally.busy} busy, ${tally.rateLimited} rate-limited)`,
);
console.log(
  `real user's login during the spray: p50 ${pick(0.5).toFixed(0)} ms, max ${
    pick(1).toFixed(0)
  } ms over ${times.length} logins`,
);
