/**
 * The store contract on a real PostgreSQL server, started for this file.
 * Where the server binaries are missing the leg is ignored, and its name
 * says why; it is never passed without running.
 */
import assert from "node:assert/strict";
import { storeContract } from "./store_contract.ts";
import { postgresAvailability, startPostgres } from "../../helpers/postgres.ts";
import { openStore, StoreError } from "../../../server/store/mod.ts";

const pg = await postgresAvailability();
const skipped = pg.available ? "" : ` (skipped: ${pg.reason})`;

Deno.test({
  name: `store contract: PostgreSQL${skipped}`,
  ignore: !pg.available,
  async fn(t) {
    if (!pg.available) return;
    await using server = await startPostgres(pg);
    await storeContract(t, {
      fresh: () => server.freshDatabase(),
      shared: true,
    });
  },
});

// Needs only the driver, never a server: it always runs.
Deno.test({
  name: "store: PostgreSQL that cannot be reached is a clear unavailable error",
  async fn() {
    // A port with nothing listening: bind one, close it, connect to it.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const url = `postgres://nobody:secret@127.0.0.1:${port}/none`;
    await assert.rejects(openStore(url), (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assert.equal(e.code, "unavailable");
      assert.match(e.message, /127\.0\.0\.1/);
      assert.doesNotMatch(e.message, /secret/, "the password is never shown");
      return true;
    });
  },
});
