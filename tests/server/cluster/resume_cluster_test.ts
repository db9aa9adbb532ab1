/**
 * Resume in a deployment (real Redis, two `serve` nodes): a session held on
 * its node stays in its room spanning both nodes (everyone hears away and
 * back, nobody a leave) and resumes there with what it missed. A resume that
 * reaches the other node is refused there (the session lives on its own
 * node); the client library then logs in afresh on that node, which ends the
 * held session on the first (its room sees it leave) and rejoins.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { EventLog } from "../../helpers/client_events.ts";
import { CutProxy } from "../../helpers/cut_proxy.ts";
import { startDeployment } from "../../helpers/deployment.ts";
import { redisAvailability } from "../../helpers/redis.ts";
import { ResumeState } from "../../helpers/resume_lines.ts";
import { RelayClient } from "../../../client/mod.ts";

const redis = await redisAvailability();
const skipped = redis.available ? "" : ` (skipped: ${redis.reason})`;

Deno.test({
  name:
    `cluster resume: held on its node, resumed there; a resume on another node is refused and the library logs in afresh${skipped}`,
  ignore: !redis.available,
  async fn() {
    await using d = await startDeployment({ nodes: 2 });
    const ada = await d.member("ada", "r", 0);
    const bob = await d.member("bob", "r", 1);
    const cy = await d.member("cy", "r", 0);
    await ada.take(2); // bob's and cy's joins
    await bob.take(1); // cy's join
    const state = await ResumeState.enable(ada);
    await ada.close();
    assertEquals(await bob.next(), `6:${ada.id}:away`);
    assertEquals(await cy.next(), `6:${ada.id}:away`);
    await bob.send("3:0:from the other node, while away");
    assertEquals(
      await cy.next(),
      `3:${bob.id}:from the other node, while away`,
    );
    const again = await d.client(0);
    const reply = await state.resumeOn(again);
    assert.ok(typeof reply !== "string", `refused: ${reply}`);
    assertEquals(
      await again.next(),
      `3:${bob.id}:from the other node, while away`,
    );
    assertEquals(await bob.next(), `6:${ada.id}:back`);
    assertEquals(await cy.next(), `6:${ada.id}:back`);

    // The library, through a proxy that sends its next connection to node 1.
    await using proxy = CutProxy.start(d.nodes[0]!.port);
    await using dan = await RelayClient.connect({
      port: proxy.port,
      reconnect: { minDelayMs: 10, maxDelayMs: 100 },
    });
    const events = new EventLog(dan);
    const old = await dan.login("dan");
    await dan.join("r");
    assertEquals(await bob.next(), `2:${old}:r`);
    proxy.retarget(d.nodes[1]!.port);
    proxy.cutAll();
    assertEquals(await bob.next(), `6:${old}:away`);
    const ended = await events.nth("session-ended", 1, 15_000);
    assertEquals([ended.code, ended.rejoining], ["resume-refused", true]);
    const rejoined = await events.nth("rejoined", 1, 15_000);
    assertEquals(rejoined.room, "r");
    // The fresh login on node 1 ended the held session on node 0.
    assertEquals(await bob.take(2), [`2:${old}:`, `2:${rejoined.sessionId}:r`]);
    assertEquals(await cy.take(4), [
      `2:${old}:r`,
      `6:${old}:away`,
      `2:${old}:`,
      `2:${rejoined.sessionId}:r`,
    ]);
  },
});
