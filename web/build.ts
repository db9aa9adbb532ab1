/**
 * Builds the browser bundles with esbuild (from npm, pinned in deno.json):
 *
 * - web/dist/switchboard.js: the client library (client/browser.ts) as one
 *   ES module, for any page: `RelayClient`, `NetworkScene`, ...
 * - web/dist/demo.js: the demo page's script (web/demo.ts) with the
 *   library inside, as one ES module.
 *
 * client/default_transport.ts (Deno's transports) is resolved to
 * client/default_transport_browser.ts (WebSocket only), so no Deno API and
 * no `node:` module reach a page; the build fails if one would.
 *
 *   deno task build:web           writes web/dist/
 *   deno task build:web --check   fails if web/dist/ differs from a fresh build
 *
 * @module
 */
import * as esbuild from "esbuild";

const ROOT = new URL("../", import.meta.url);
const DIST = new URL("web/dist/", ROOT);

/** The files built, by output name. */
export const ENTRIES: Readonly<Record<string, string>> = {
  "switchboard.js": "client/browser.ts",
  "demo.js": "web/demo.ts",
};

const browserOnly: esbuild.Plugin = {
  name: "browser-transport",
  setup(build) {
    build.onResolve({ filter: /default_transport\.ts$/ }, (args) => ({
      path: new URL(
        args.path.replace(
          /default_transport\.ts$/,
          "default_transport_browser.ts",
        ),
        `file://${args.resolveDir}/`,
      ).pathname,
    }));
    build.onResolve({ filter: /^node:|^npm:/ }, (args) => ({
      errors: [{
        text:
          `${args.path} would be bundled for the browser (from ${args.importer})`,
      }],
    }));
  },
};

/** Builds every entry in memory; returns output name -> bytes. */
export async function buildWeb(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  try {
    for (const [name, entry] of Object.entries(ENTRIES)) {
      const result = await esbuild.build({
        entryPoints: [new URL(entry, ROOT).pathname],
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        write: false,
        legalComments: "none",
        absWorkingDir: new URL(".", ROOT).pathname,
        plugins: [browserOnly],
        logLevel: "silent",
      });
      const file = result.outputFiles[0]!;
      const text = file.text;
      if (/\bDeno\./.test(text)) {
        throw new Error(`${name}: the bundle uses Deno's API`);
      }
      out.set(name, file.contents);
    }
  } finally {
    await esbuild.stop();
  }
  return out;
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const built = await buildWeb();
  let stale = 0;
  for (const [name, bytes] of built) {
    const path = new URL(name, DIST);
    if (check) {
      const old = await Deno.readFile(path).catch(() => new Uint8Array());
      if (old.length !== bytes.length || old.some((b, i) => b !== bytes[i])) {
        console.error(`web/dist/${name} is stale: run deno task build:web`);
        stale++;
      }
    } else {
      await Deno.mkdir(DIST, { recursive: true });
      await Deno.writeFile(path, bytes);
      console.log(`web/dist/${name}: ${bytes.length} bytes`);
    }
  }
  if (stale > 0) Deno.exit(1);
}
