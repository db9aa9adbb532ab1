/** The revocation watcher and the memory of recent revocations, without sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { type Revocation, RevocationWatcher } from "../../../server/mod.ts";
import { RecentRevocations } from "../../../server/sessions/recent_revocations.ts";

/** A store of revocations that can be told to fail. */
class FakeRevocations {
  rows: Revocation[] = [];
  failing = false;
  queries = 0;
  latestRevision() {
    return Promise.resolve(this.rows.at(-1)?.id ?? 0);
  }
  #waiters: [number, () => void][] = [];
  /** Resolves once `n` queries have been made. */
  queried(n: number): Promise<void> {
    if (this.queries >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push([n, resolve]));
  }
  revocationsSince(after: number, limit: number) {
    this.queries++;
    for (const [n, wake] of this.#waiters) if (this.queries >= n) wake();
    if (this.failing) return Promise.reject(new Error("database is down"));
    return Promise.resolve(
      this.rows.filter((r) => r.id > after).slice(0, limit),
    );
  }
  add(n: number) {
    for (let i = 0; i < n; i++) {
      const id = (this.rows.at(-1)?.id ?? 0) + 1;
      this.rows.push({
        id,
        username: `u${id}`,
        reason: "disabled",
        at: new Date(),
      });
    }
  }
}

Deno.test("revocation watcher: starts after the newest, hands on each new one once, in order, in batches", async () => {
  const store = new FakeRevocations();
  store.add(3);
  const seen: number[] = [];
  const watcher = new RevocationWatcher({
    store,
    revoke: (r) => seen.push(r.id),
    pollMs: 60_000,
  });
  await watcher.start();
  assertEquals(watcher.cursor, 3);
  assertEquals(await watcher.poll(), 0);
  store.add(1_200);
  const queries = store.queries;
  assertEquals(await watcher.poll(), 1_200);
  assertEquals(store.queries - queries, 3, "1,200 rows in batches of 500");
  assertEquals(seen, Array.from({ length: 1_200 }, (_, i) => i + 4));
  assertEquals(await watcher.poll(), 0);
  watcher.close();
});

Deno.test("revocation watcher: a failing store is logged once, loses nothing, and recovery is logged", async () => {
  const store = new FakeRevocations();
  const log = new LogCapture();
  const seen: string[] = [];
  const watcher = new RevocationWatcher({
    store,
    revoke: (r) => seen.push(r.username),
    pollMs: 5,
    logger: log,
  });
  await watcher.start();
  store.failing = true;
  store.add(2);
  await log.waitFor("revocations.poll_failed");
  const failedAt = store.queries;
  await store.queried(failedAt + 3);
  assertEquals(log.count("revocations.poll_failed"), 1, "logged once");
  assertEquals(seen, []);
  store.failing = false;
  await log.waitFor("revocations.poll_recovered");
  assertEquals(seen, ["u1", "u2"]);
  watcher.close();
});

Deno.test("recent revocations: a login read before the newest revocation is revoked; memory is bounded", () => {
  const recent = new RecentRevocations(1_000, 2);
  recent.note("ada", 5, 0);
  assert.ok(recent.revokedSince("ada", 4, 10));
  assert.ok(!recent.revokedSince("ada", 5, 10), "read after it");
  assert.ok(!recent.revokedSince("bob", 0, 10));
  recent.note("ada", 3, 20); // an older id never lowers what is known
  assert.ok(recent.revokedSince("ada", 4, 30));
  assert.ok(!recent.revokedSince("ada", 4, 1_020), "forgotten after keepMs");
  recent.note("a", 1, 2_000);
  recent.note("b", 1, 2_000);
  recent.note("c", 1, 2_000);
  assert.ok(!recent.revokedSince("a", 0, 2_000), "the oldest went first");
  assert.ok(recent.revokedSince("c", 0, 2_000));
});
