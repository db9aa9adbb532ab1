/** `deno task bench` (bench/main.ts): its flags, --help and the table. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { chooseScenarios } from "../../bench/main.ts";
import { formatTable, NONE } from "../../bench/report.ts";
import type { BenchResult } from "../../bench/runner.ts";

const MAIN = new URL("../../bench/main.ts", import.meta.url).pathname;

async function bench(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

Deno.test("deno task bench --help: the options, the scenarios and examples, exit 0", async () => {
  const { code, stdout, stderr } = await bench("--help");
  assertEquals([code, stderr], [0, ""]);
  assert.match(stdout, /--only <ids>/);
  assert.match(stdout, /Scenarios:\n {2}a {2}100 clients/);
  assert.match(stdout, /Examples:\n {2}\$ deno task bench/);
});

Deno.test("deno task bench: an unknown scenario or flag is an error in the house form, before anything runs", async () => {
  for (
    const [args, message] of [
      [
        ["--only", "z"],
        /no scenario z: the scenarios are a, b, c, d, e, f, g, h/,
      ],
      [["--only", "a,zz"], /no scenario zz/],
      [["--only", ","], /no scenario named/],
      [["--frobnicate"], /unknown option '--frobnicate'/],
    ] as const
  ) {
    const { code, stdout, stderr } = await bench(...args);
    assertEquals(code, 1, stderr);
    assertEquals(stdout, "", "no table");
    assert.match(stderr, /^switchboard: error: /);
    assert.match(stderr, message);
    assert.match(stderr, /\n {2}.*deno task bench --help/);
    assert.ok(!/\bat \S+:\d+:\d+/.test(stderr), `no stack trace: ${stderr}`);
  }
});

Deno.test("bench: --only picks the scenarios and bursts named, in the tables' order", () => {
  const picked = chooseScenarios("c,a,g");
  assertEquals(picked.scenarios.map((s) => s.id), ["a", "c"]);
  assertEquals(picked.bursts.map((b) => b.id), ["g"]);
  const all = chooseScenarios(undefined);
  assertEquals([all.scenarios.length, all.bursts.length], [5, 3]);
});

Deno.test("bench table: an idle run shows – for what it does not measure, not 0", () => {
  const idle: BenchResult = {
    clients: 5000,
    roomSize: 10,
    pattern: "idle",
    mode: 0,
    ratePerClient: 0,
    payloadBytes: 100,
    durationMs: 1000,
    sentPerSecond: 0,
    deliveriesPerSecond: 0,
    lost: 0,
    disconnects: 0,
    latencyMicros: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, samples: 0 },
    generatorCpuPercent: 0,
    server: { cpuPercent: 3, rssBytes: 107 * 2 ** 20, rssPerClientBytes: 9626 },
  };
  const row = formatTable([{ name: "(d)", result: idle }]).split("\n")[2]!
    .split(/\s{2,}/);
  assertEquals(row, [
    "(d)",
    "5000",
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    "107 MiB",
    "9.4 KiB",
  ]);
  assertEquals(NONE, "–", "the README's dash");
});
