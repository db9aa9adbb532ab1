/**
 * `deno task compile`: a single executable. Building one needs Deno's base
 * binary (denort), which Deno downloads unless DENORT_BIN names a local copy;
 * where neither works the build test is reported ignored, with the reason.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readUntil } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { explainFailure } from "../../tools/compile.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "switchboard-compile-" });
const output = `${dir}/switchboard`;

/** Builds once, up front, so the test can be ignored with the real reason. */
async function build(): Promise<{ ok: boolean; why: string }> {
  const task = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks
    .compile as string;
  assertEquals(task, "deno run -A tools/compile.ts");
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tools/compile.ts", "--output", output],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.success) return { ok: true, why: "" };
  if (/needs Deno's base binary/.test(stderr)) {
    return {
      ok: false,
      why:
        "Deno's base binary (denort) cannot be downloaded here; set DENORT_BIN to a local copy to run it",
    };
  }
  return { ok: true, why: stderr }; // a real failure: let the test show it
}

const built = await build();

Deno.test({
  name: `compile: deno task compile builds an executable that serves${
    built.ok ? "" : ` (skipped: ${built.why})`
  }`,
  ignore: !built.ok,
  async fn() {
    try {
      assertEquals(built.why, "", "the build failed");
      const child = new Deno.Command(output, {
        args: ["serve", "--auth", "open", "--db", ":memory:", "--port", "0"],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const text = child.stdout.pipeThrough(new TextDecoderStream());
      const ready = await readUntil(text, /tcp:\/\/127\.0\.0\.1:(\d+)/);
      await using c = await LineClient.connect(Number(ready[1]));
      assert.match(String(await c.login("ada")), /^\d+$/);
      child.kill("SIGTERM");
      assertEquals((await child.status).code, 0);
      await text.cancel().catch(() => {});
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("compile: the sources stay compile-ready (no dynamic import deno compile cannot see)", async () => {
  const offenders: string[] = [];
  for (
    const folder of ["cli", "client", "net", "protocol", "server", "bench"]
  ) {
    for await (const path of walk(`${ROOT}${folder}`)) {
      const source = await Deno.readTextFile(path);
      // `import(variable)` would be missing from the executable; a string
      // literal, such as cli/main.ts's `import("./program.ts")`, is
      // included ("statically analyzable dynamic imports", deno compile's
      // documentation).
      for (const match of source.matchAll(/\bimport\s*\(\s*([^)]*)\)/g)) {
        if (!/^"[^"`$]+"$|^'[^'`$]+'$/.test(match[1]!.trim())) {
          offenders.push(`${path.slice(ROOT.length)}: import(${match[1]})`);
        }
      }
    }
  }
  assertEquals(offenders, []);
  if (!built.ok) await Deno.remove(dir, { recursive: true });
});

async function* walk(path: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(path)) {
    const full = `${path}/${entry.name}`;
    if (entry.isDirectory) yield* walk(full);
    else if (entry.name.endsWith(".ts")) yield full;
  }
}

Deno.test("compile: without Deno's base binary, one error line says what is missing and how to give it, and no dist/ is left", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-compile-" });
  try {
    // DENORT_BIN pointing at nothing is refused before Deno is run.
    const missing = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}tools/compile.ts`,
        "--output",
        `${dir}/out/sb`,
      ],
      env: { NO_COLOR: "1", DENORT_BIN: `${dir}/no-such-denort` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(missing.code, 1);
    assert.match(
      new TextDecoder().decode(missing.stderr),
      /^switchboard: error: DENORT_BIN=\S+ is not a file\n {2}point it at/,
    );
    if (built.ok) return; // the base binary can be had here: nothing to see
    // Offline, as the build above found: the error names what is missing,
    // no stack trace, and the output directory it made is gone again.
    const offline = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}tools/compile.ts`,
        "--output",
        `${dir}/dist/sb`,
      ],
      env: { NO_COLOR: "1", DENORT_BIN: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(offline.stderr);
    assertEquals(offline.code, 1);
    assert.match(
      text,
      /^switchboard: error: deno compile needs Deno's base binary .*\n {2}get denort-\S+\.zip .* DENORT_BIN=\/path\/to\/denort deno task compile\n$/,
    );
    assert.ok(!text.includes("backtrace"), text);
    assertEquals(
      await Deno.stat(`${dir}/dist`).then(() => "left", () => "gone"),
      "gone",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: Deno's download error is told as the missing base binary, with DENORT_BIN as the way out", () => {
  const stderr = [
    "error: Writing deno compile executable to temporary file 'dist/switchboard.tmp-1'",
    "",
    "Caused by:",
    "    0: Setting up base binary.",
    "    1: error sending request for url (https://example.invalid/denort.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known",
    "    2: client error (Connect)",
    "    3: dns error",
    "    4: failed to lookup address information: Name or service not known",
    "",
    "Stack backtrace:",
    "   0: <unknown>",
  ].join("\n");
  const failure = explainFailure(stderr);
  assert.match(
    failure.message,
    /^deno compile needs Deno's base binary \(denort [\d.]+ for \S+\) and could not download it \(failed to lookup address information: Name or service not known\)$/,
  );
  assert.match(failure.hint, /DENORT_BIN=\/path\/to\/denort deno task compile/);
  const other = explainFailure(
    'error: Module not found "file:///x.ts".\n\nStack backtrace:\n   0: <unknown>',
  );
  assertEquals(
    other.message,
    'deno compile failed:\nerror: Module not found "file:///x.ts".',
  );
});
