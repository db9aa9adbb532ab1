/**
 * The demo page in headless Chromium (Debian's chromium, driven by
 * npm:playwright-core): two tabs and one TCP bot in one room. Their object
 * tables converge, a tab's avatar moves for the others, and a grab on one
 * tab (an ownership claim) changes the ball's owner on the other tab and in
 * the bot. A screenshot is kept in test-artifacts/demo_page.png.
 */
import { chromium, type Page } from "playwright-core";
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { DEADLINE_MS } from "../helpers/inbox.ts";
import { RelayServer } from "../../server/mod.ts";
import { NetworkScene, RelayClient, vec3, vec4 } from "../../client/mod.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url);
const ROOM = "browser-test";

function chromiumMissing(): string | null {
  try {
    Deno.statSync(CHROMIUM);
    return null;
  } catch {
    return `${CHROMIUM} is not installed`;
  }
}

type Row = [string, string, number];

const snapshotOf = (page: Page) =>
  page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    ((globalThis as any).switchboardDemo.snapshot() as {
      id: string;
      type: string;
      owner: number;
    }[]).map((o) => [o.id, o.type, o.owner])
  ) as Promise<Row[]>;

const table = (rows: Row[]) => rows.map((r) => r.join(" ")).sort().join(", ");

/** Polls `check` until it returns a value, for at most `ms`. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = DEADLINE_MS * 3,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${what} within ${ms} ms${last ? `: ${last}` : ""}`);
}

const missing = chromiumMissing();
Deno.test({
  name:
    `browser: two demo pages and a TCP bot share one scene; a grab hands the ball over${
      missing ? ` (ignored: ${missing})` : ""
    }`,
  ignore: missing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using server = await RelayServer.start({
      port: 0,
      http: { port: 0 },
    });
    await using bot = await RelayClient.connect({ port: server.port });
    await bot.login("bot");
    await using scene = await NetworkScene.join(bot, ROOM, {
      tickHz: 20,
      sceneObjects: [{
        type: "ball",
        fields: { pos: vec3(0, 1, 0), holder: "" },
      }],
    });
    scene.instantiate("avatar", {
      pos: vec3(2, 0, 0),
      rot: vec4(0, 0, 0, 1),
      name: "bot",
    }, { boundToOwner: true });
    scene.instantiate("crate", {
      pos: vec3(4, 0, 3),
      color: vec3(0.2, 0.6, 0.3),
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const errors: string[] = [];
      const open = async (name: string) => {
        const page = await browser.newPage();
        page.on(
          "pageerror",
          (error) => errors.push(`${name}: ${error.message}`),
        );
        await page.goto(
          `http://127.0.0.1:${server.httpPort}/?name=${name}&room=${ROOM}`,
        );
        await page.click("button");
        await page.waitForFunction(
          // deno-lint-ignore no-explicit-any
          () => (globalThis as any).switchboardDemo.self !== null,
          null,
          { timeout: DEADLINE_MS * 2 },
        );
        return page;
      };
      const one = await open("tab1");
      const two = await open("tab2");
      const botRows = (): Row[] =>
        scene.snapshot().map((o) => [o.id, o.type, o.owner]);
      // Three avatars, the bot's crate and the ball, the same everywhere.
      await until("converged tables", async () => {
        const [a, b] = [await snapshotOf(one), await snapshotOf(two)];
        const c = botRows();
        return c.length === 5 && table(a) === table(c) &&
            table(b) === table(c)
          ? true
          : undefined;
      });
      // tab1 walks right: the bot and tab2 see its avatar move.
      const self1 = await one.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).switchboardDemo.self as number
      );
      const avatar1 = [...scene.objects.values()].find((o) =>
        o.type === "avatar" && o.owner === self1
      )!;
      const startX = (avatar1.get("pos") as number[])[0]!;
      await one.focus("canvas");
      await one.keyboard.down("ArrowRight");
      await until("tab1's avatar moving in the bot", () =>
        Promise.resolve(
          (avatar1.get("pos") as number[])[0]! > startX + 0.5
            ? true
            : undefined,
        ));
      await one.keyboard.up("ArrowRight");
      // A grab on tab1: the ball's owner changes on tab2 and in the bot.
      assertEquals(
        await one.evaluate(() =>
          // deno-lint-ignore no-explicit-any
          (globalThis as any).switchboardDemo.grab("-1-1") as Promise<boolean>
        ),
        true,
      );
      await until("the ball's new owner everywhere", async () => {
        const onTwo = (await snapshotOf(two)).find((r) => r[0] === "-1-1");
        const ball = scene.get("-1-1");
        // The claim first, then the new owner's first update (the holder).
        return onTwo?.[2] === self1 && ball?.owner === self1 &&
            ball.get("holder") === "tab1"
          ? true
          : undefined;
      });
      // The page shows the members and who is master.
      const members = await two.textContent("#members");
      assert.match(members ?? "", /bot \(master\)/);
      assert.match(members ?? "", /tab2 \(you\)/);
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await two.screenshot({
        path: new URL("demo_page.png", ARTIFACTS).pathname,
      });
      assertEquals(errors, []);
    } finally {
      await browser.close();
    }
  },
});
