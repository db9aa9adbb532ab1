/// <reference lib="dom" />
/**
 * The dashboard in a real headless Chromium against a server with traffic:
 * the token form, the rooms table, a chart that moves with the traffic, and
 * the kick button ending a real client's session. A screenshot is kept in
 * test-artifacts/dashboard.png (gitignored) for people to look at.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAdmin, TEST_TOKEN } from "../../helpers/admin.ts";
import {
  chromiumAvailability,
  launchChromium,
} from "../../helpers/chromium.ts";
import { NO_RATE_LIMIT, startServer } from "../../helpers/server.ts";

const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url);
const chromium = await chromiumAvailability();

Deno.test({
  name:
    `dashboard: rooms table, a live chart and the kick button in headless Chromium${
      chromium.available ? "" : ` (skipped: ${chromium.reason})`
    }`,
  ignore: !chromium.available,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using t = await startServer({ limits: NO_RATE_LIMIT });
    await using a = await startAdmin(t, { historyIntervalMs: 250 });
    const ada = await t.member("ada", "lobby");
    const bob = await t.member("bob", "lobby");
    const cy = await t.member("cy", "arena");
    await ada.take(1);
    // bob talks until the test is done (bounded): the rates are not zero.
    let talking = true;
    const talk = (async () => {
      for (let i = 0; talking && i < 20_000; i++) {
        await bob.send(`3:0:frame ${i} ${"p".repeat(60)}`);
        if (i % 20 === 19) await bob.sync();
      }
    })();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1300, height: 1000 },
      });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${a.url}/`);
      // A wrong token is refused and the form comes back.
      await page.fill("#token", "not-the-token-0123456789");
      await page.click("#login-form button");
      await page.waitForSelector("#login-error:text('the token was refused')");
      await page.fill("#token", TEST_TOKEN);
      await page.click("#login-form button");
      // The rooms table: lobby with ada and bob (master ada), arena with cy.
      const lobby = page.locator('#rooms tbody tr[data-room="lobby"]');
      await lobby.waitFor();
      assert.match(
        await lobby.innerText(),
        new RegExp(
          `lobby\\s+2\\s+${ada.id}\\s+${ada.id} ada.*${bob.id} bob`,
          "s",
        ),
      );
      await page.locator('#rooms tbody tr[data-room="arena"]').waitFor();
      // The lines chart is redrawn with the traffic: lines in per second > 0.
      const chart = page.locator("#chart-lines");
      await page.waitForFunction(
        () => {
          const c = document.querySelector<HTMLCanvasElement>("#chart-lines")!;
          return Number(c.dataset.last?.split(",")[0] ?? 0) > 0;
        },
        undefined,
        { timeout: 20_000 },
      );
      const first = await chart.evaluate((c: HTMLCanvasElement) => ({
        at: c.dataset.drawnAt,
        pixels: c.toDataURL(),
      }));
      await page.waitForFunction(
        (at) =>
          document.querySelector<HTMLCanvasElement>("#chart-lines")!.dataset
            .drawnAt !== at,
        first.at,
        { timeout: 20_000 },
      );
      const second = await chart.evaluate((c: HTMLCanvasElement) =>
        c.toDataURL()
      );
      assert.notEqual(second, first.pixels, "the chart was drawn anew");
      // Kick ada from her row: the prompt takes the reason.
      page.once(
        "dialog",
        (dialog) => void dialog.accept("kicked from the dashboard"),
      );
      await page.click(`button[data-kick="${ada.id}"]`);
      // What ada hears after bob's messages: why, then the end.
      let line = await ada.next(10_000);
      while (line.startsWith(`3:${bob.id}:`)) line = await ada.next(10_000);
      assertEquals([line, ...(await ada.take(2))], [
        "9:0:kicked:kicked from the dashboard",
        "0:-1",
        `2:${ada.id}:`,
      ]);
      await ada.closed();
      await page.waitForSelector(
        `#message:text("kicked session ${ada.id} (ada)")`,
      );
      await page.locator(`#sessions tbody tr[data-session="${ada.id}"]`)
        .waitFor({ state: "detached" });
      assertEquals(t.server.ctx.sessions.byName("ada"), undefined);
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({
        path: new URL("dashboard.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      assertEquals(errors, []);
    } finally {
      talking = false;
      await browser.close();
      await talk.catch(() => {});
      await cy.close();
    }
  },
});
