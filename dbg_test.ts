import { startOver } from "./tests/helpers/transports.ts";
import { NO_RATE_LIMIT } from "./tests/helpers/server.ts";
import { createLogger } from "./server/mod.ts";
const kind = Deno.args[0] as "wss";
await using t = await startOver(kind, { limits: { ...NO_RATE_LIMIT, maxOutboundBytes: 8 << 20 }, logger: createLogger({ level: "warn" }) });
const sender = await t.member("sender", "r", "tcp");
const reader = await t.member("reader", "r");
const stalled = await t.member("stalled", "r");
await sender.sync(); await reader.sync();
if (Deno.args[1] === "stall") (stalled as any).pause();
const N = Number(Deno.args[2] ?? 4000);
const payload = "y".repeat(1000);
let got = 0;
const done = (async () => { try { while (got < N) { const l = await reader.next(10000); if (l.startsWith("3:")) got++; } } catch (e) { console.log("reader failed after", got, String(e).slice(0, 100)); } })();
for (let i = 0; i < N; i += 500) {
  const lines = [];
  for (let j = i; j < i + 500; j++) lines.push(`3:0:${j} ${payload}`);
  await sender.send(...lines);
}
console.log("sent");
await done;
console.log("reader got", got);
