/**
 * How many messages per second the client library moves: one RelayClient
 * sends `3:0` messages as fast as it may, another in the same room counts
 * them. The server runs in its own process (bench/local_server.ts), so
 * this process holds only the two clients. Prints one line per run.
 *
 * @example
 * ```sh
 * deno run -A bench/client_rate.ts --messages 200000 --payload 32 --runs 3
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { RelayClient } from "../client/mod.ts";
import { startLocalServer } from "./local_server.ts";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "200000" },
    payload: { type: "string", default: "32" },
    runs: { type: "string", default: "3" },
  },
});
const count = Number(values.messages);
const payload = "x".repeat(Number(values.payload));
/** Sends between yields, so the receiver and the writes keep up. */
const BURST = 1_000;

const server = await startLocalServer(["--log-level", "error", "--no-udp"]);
try {
  for (let run = 1; run <= Number(values.runs); run++) {
    await using sender = await RelayClient.connect({
      port: server.port,
      limits: { maxPendingBytes: 64 * 1024 * 1024 },
    });
    await using receiver = await RelayClient.connect({ port: server.port });
    await sender.login(`sender${run}`);
    await receiver.login(`receiver${run}`);
    await sender.join(`bench${run}`);
    await receiver.join(`bench${run}`);
    let received = 0;
    const all = new Promise<void>((resolve) =>
      receiver.onMessage(({ message }) => {
        if (message.kind === "message" && ++received === count) resolve();
      })
    );
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      void sender.sendToOthers(payload);
      if (i % BURST === BURST - 1) await new Promise((r) => setTimeout(r, 0));
    }
    await all;
    const ms = performance.now() - start;
    console.log(
      `run ${run}: ${count} messages of ${payload.length} bytes in ${
        ms.toFixed(0)
      } ms = ${Math.round(count / ms * 1000)} msg/s`,
    );
  }
} finally {
  await server.stop();
}
