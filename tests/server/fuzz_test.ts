/**
 * Fuzz: random bytes and random valid-looking lines from many clients,
 * 300,000 lines in all, against one server. No crash, no fault logged, no
 * ghost left, and a conversation alongside loses nothing.
 */
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { LineCounter } from "../helpers/line_counter.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";
import { RoomPasswordThrottle } from "../../server/mod.ts";

const CLIENTS = 20;
const LINES_PER_CLIENT = 15_000;
const LINES_PER_WRITE = 500;
const SESSIONS = 6;
const MAX_LINE_BYTES = 1024;
const encoder = new TextEncoder();

const digits = fc.integer({ min: 0, max: 40 }).map(String);
const word = fc.oneof(
  fc.constantFrom("", "r", "lobby", "-1", "x".repeat(70), "a,b", "é", "\t"),
  fc.string({ maxLength: 12 }),
);
const payload = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom("", ":", "1:2:3", "\r", "3:0:nested"),
);
/** Lines that look like commands, valid or nearly so. */
const commandLine = fc.oneof(
  fc.tuple(word, word).map(([u, p]) => `0:${u}:${p}`),
  word.map((p) => `1:${p}`),
  fc.tuple(word, fc.option(word)).map(([r, p]) =>
    p === null ? `2:${r}` : `2:${r}:${p}`
  ),
  fc.tuple(fc.integer({ min: 0, max: 9 }), payload).map(([m, p]) =>
    `3:${m}:${p}`
  ),
  fc.tuple(fc.array(digits, { maxLength: 6 }), payload).map(([ids, p]) =>
    ["3:4", ...ids, p].join(":")
  ),
  fc.tuple(word, payload).map(([g, p]) => `4:${g}:${p}`),
  fc.tuple(word, fc.array(digits, { maxLength: 8 })).map(([g, ids]) =>
    ["5", g, ...ids].join(":")
  ),
  fc.tuple(fc.integer({ min: 6, max: 99 }), payload).map(([c, p]) =>
    `${c}:${p}`
  ),
).map((line) => encoder.encode(line));
/** Random bytes, newlines and invalid UTF-8 included. */
const noise = fc.uint8Array({ maxLength: 200 }).map((b) =>
  b.map((x) => x === 10 ? 0xff : x)
);
const POOL = fc.sample(fc.oneof(commandLine, commandLine, noise), {
  numRuns: 20_000,
  seed: 20_240_606,
});

/** A small seeded generator for choices that need no shrinking. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Client `k`'s sessions: each a list of writes (lines straddle writes) and
 * whether it ends with a line over the cap (else with a half-close).
 */
function sessions(k: number): { writes: Uint8Array[]; overLong: boolean }[] {
  const next = random(k + 1);
  const result: { writes: Uint8Array[]; overLong: boolean }[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const writes: Uint8Array[] = [];
    for (let w = 0; w < LINES_PER_CLIENT / SESSIONS / LINES_PER_WRITE; w++) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < LINES_PER_WRITE; i++) {
        // Logins under the client's own names: never another client's.
        if (next() < 0.02) parts.push(encoder.encode(`0:f${k}_${i % 3}:pw`));
        else parts.push(ownLogins(k, POOL[Math.floor(next() * POOL.length)]!));
        parts.push(Uint8Array.of(10));
      }
      const bytes = concat(parts);
      const cut = Math.floor(next() * bytes.length);
      writes.push(bytes.subarray(0, cut), bytes.subarray(cut));
    }
    result.push({ writes, overLong: s % 2 === 1 });
  }
  return result;
}

/**
 * Prefixes the username of a pooled login with the client's own tag: a login
 * under another connection's name would close it (one session per user),
 * and the rest of what it sent would never be read.
 */
function ownLogins(k: number, line: Uint8Array): Uint8Array {
  if (line[0] !== 0x30 || line[1] !== 0x3a) return line;
  return concat([encoder.encode(`0:f${k}`), line.subarray(2)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

Deno.test("fuzz: 300,000 random and near-valid lines from 20 clients: no crash, no ghost, a bystander conversation intact", async () => {
  const log = new LogCapture((event) => event !== "line.refused");
  await using t = await startServer({
    logger: log,
    limits: { ...NO_RATE_LIMIT, maxLineBytes: MAX_LINE_BYTES },
    // Random `1:x` and `2:r:x` lines are wrong room passwords: the throttle
    // still runs (waits, refusals), in milliseconds instead of seconds.
    roomPasswordThrottle: new RoomPasswordThrottle({
      baseDelayMs: 1,
      maxDelayMs: 2,
      maxWaitMs: 5,
    }),
  });
  const speaker = await t.member("speaker", "r");
  const listener = await t.member("listener", "r");
  await speaker.sync();
  let fuzzing = true;
  let opened = 2;
  let lines = 0;
  const fuzzers = Array.from({ length: CLIENTS }, async (_, k) => {
    for (const { writes, overLong } of sessions(k)) {
      const conn = await LineCounter.connect(t.port, () => {});
      opened++;
      for (const bytes of writes) await conn.write(bytes);
      lines += LINES_PER_CLIENT / SESSIONS;
      // Either ending makes the server close once it has handled the rest.
      if (overLong) {
        await conn.write(new Uint8Array(MAX_LINE_BYTES + 2).fill(0x33));
      } else await conn.closeWrite();
      await conn.closed(20_000);
      await conn.close();
    }
  });
  // The bystanders talk throughout, each message paced by its arrival.
  let said = 0;
  const conversation = (async () => {
    while (fuzzing || said < 20) {
      await speaker.send(`3:0:${said}`);
      let line = await listener.next();
      while (!line.startsWith(`3:${speaker.id}:`)) line = await listener.next();
      assertEquals(line, `3:${speaker.id}:${said}`);
      said++;
    }
  })();
  await Promise.all(fuzzers);
  fuzzing = false;
  await conversation;
  assertEquals(
    log.count("limit.line_bytes"),
    CLIENTS * SESSIONS / 2,
    "only the over-long lines sent on purpose closed a connection",
  );
  assertEquals(lines, CLIENTS * LINES_PER_CLIENT);
  await log.until(
    () => t.server.connectionCount === 2,
    "every fuzz connection closed",
    20_000,
  );
  assertEquals(log.count("conn.crash"), 0, "no fault in any connection");
  assertEquals(log.count("conn.open"), opened);
  assertEquals(t.server.sessionCount, 2, "no ghost session");
  assertEquals(t.server.roomCount, 1, "no ghost room");
  await speaker.send("1:");
  let list = await speaker.next();
  while (!list.startsWith("1:")) list = await speaker.next();
  assertEquals(list, "1:r-2");
});
