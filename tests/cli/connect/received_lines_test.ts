/** expect / expect-none over received lines. */
import { assertEquals } from "../../helpers/assert.ts";
import { ReceivedLines } from "../../../cli/connect/received_lines.ts";

Deno.test("received lines: expect consumes up to its match and captures groups", async () => {
  const r = new ReceivedLines();
  r.push("0:7");
  r.push("2:7:lobby");
  r.push("4:7");
  const first = await r.expect(/^2:(?<id>\d+):/, 1000);
  assertEquals(first.ok && [first.line.text, first.match.groups?.id], [
    "2:7:lobby",
    "7",
  ]);
  assertEquals(r.unconsumed.map((l) => l.text), ["4:7"]);
  const again = await r.expect(/^0:/, 0);
  assertEquals(again.ok, false, "consumed lines are not matched again");
  assertEquals(!again.ok && again.seen.map((l) => l.text), ["4:7"]);
});

Deno.test("received lines: expect waits for a line that arrives later", async () => {
  const r = new ReceivedLines();
  const waiting = r.expect(/^3:1:late$/, 5000);
  r.push("3:1:early");
  r.push("3:1:late");
  const result = await waiting;
  assertEquals(result.ok, true);
});

Deno.test("received lines: the end of the connection ends a wait with the reason", async () => {
  const r = new ReceivedLines();
  const waiting = r.expect(/^never$/, 60_000);
  r.push("2:1:");
  r.end("the server closed the connection");
  const result = await waiting;
  assertEquals(!result.ok && [result.ended, result.seen.map((l) => l.text)], [
    "the server closed the connection",
    ["2:1:"],
  ]);
});

Deno.test("received lines: expect-none fails on an unconsumed or new match, consumes nothing", async () => {
  const r = new ReceivedLines();
  r.push("9:3:not-in-room:x");
  const old = await r.expectNone(/^9:/, 0);
  assertEquals(!old.ok && old.line.text, "9:3:not-in-room:x");
  await r.expect(/^9:/, 0);
  const waiting = r.expectNone(/^9:/, 5000);
  r.push("3:1:fine");
  r.push("9:2:again:y");
  const fresh = await waiting;
  assertEquals(!fresh.ok && fresh.line.text, "9:2:again:y");
  assertEquals(r.unconsumed.map((l) => l.text), ["3:1:fine", "9:2:again:y"]);
  r.end("closed");
  assertEquals(await r.expectNone(/^x/, 60_000), { ok: true });
});
