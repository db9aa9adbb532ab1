/** Naming the database without its password. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  describeTarget,
  openStore,
  redactSecrets,
  secretRedactor,
  secretsOf,
  StoreError,
} from "../../../server/store/mod.ts";

Deno.test("db target: a URL's password, as written and decoded, and secret query values are masked", () => {
  assertEquals(
    describeTarget("postgres://sb:s3cret@db:5432/sw"),
    "postgres://sb:***@db:5432/sw",
  );
  assertEquals(
    describeTarget("postgresql://sb@db/sw?password=qq&sslmode=require"),
    "postgresql://sb@db/sw?password=***&sslmode=require",
  );
  assertEquals(describeTarget("postgres://db/sw"), "postgres://db/sw");
  assertEquals(describeTarget("data/switchboard.db"), "data/switchboard.db");
  assertEquals(secretsOf("data/switchboard.db"), []);
  const url = "postgres://sb:p%40ss%20w@db/sw";
  assertEquals(secretsOf(url).sort(), ["p%40ss%20w", "p@ss w"].sort());
  assertEquals(
    redactSecrets(
      "auth failed for p@ss w at postgres://sb:p%40ss%20w@db/sw",
      url,
    ),
    "auth failed for *** at postgres://sb:***@db/sw",
  );
  assertEquals(
    redactSecrets("nothing secret here", "x.db"),
    "nothing secret here",
  );
});

Deno.test("db target: the log's redactor finds the secrets once and masks them in every line", () => {
  const url = "postgres://sb:p%40ss%20w@db/sw?sslpassword=k3y";
  const redact = secretRedactor(url);
  for (const line of ["login p@ss w", `at ${url}`, "k3y k3y", "plain"]) {
    assertEquals(redact(line), redactSecrets(line, url));
  }
  assertEquals(redact("p@ss w and k3y"), "*** and ***");
  const none = secretRedactor("data/switchboard.db");
  assertEquals(none("data/switchboard.db p@ss"), "data/switchboard.db p@ss");
});

Deno.test("db target: an unparsable postgres:// URL is refused without being quoted", async () => {
  const target = "postgres://sb:hunter2@[::1/db";
  const error = await openStore(target).catch((e) => e);
  assert.ok(error instanceof StoreError, String(error));
  assert.ok(!error.message.includes("hunter2"), error.message);
  assert.match(error.message, /cannot be parsed/);
  assertEquals(describeTarget(target), "postgres://(unparsable URL)");
});
