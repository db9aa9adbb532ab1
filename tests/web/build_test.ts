/**
 * The committed browser bundles (web/dist/) are what `deno task build:web`
 * makes from the sources now, and hold no Deno API or `node:` import: the
 * page served at `/` runs the library as it is in this tree.
 */
import assert from "node:assert/strict";
import { buildWeb } from "../../web/build.ts";

Deno.test("web: web/dist/ is fresh (rebuilt from the sources, byte for byte) and browser-only", async () => {
  const built = await buildWeb();
  for (const [name, bytes] of built) {
    const committed = await Deno.readFile(
      new URL(`../../web/dist/${name}`, import.meta.url),
    );
    assert.ok(
      committed.length === bytes.length &&
        committed.every((b, i) => b === bytes[i]),
      `web/dist/${name} is stale: run deno task build:web and commit it`,
    );
    const text = new TextDecoder().decode(bytes);
    assert.doesNotMatch(text, /\bDeno\.|from "node:|require\(/);
  }
  assert.ok(built.has("switchboard.js") && built.has("demo.js"));
});
