/**
 * A temporary file that removes itself: `await using f = await tempFile(...)`.
 *
 * @example
 * ```ts ignore
 * await using token = await tempFile("switchboard-token-", "secret\n");
 * console.log(token.path);
 * ```
 * @module
 */

/** A temporary file's path, removed when disposed. */
export interface TempFile extends AsyncDisposable {
  readonly path: string;
}

/** Writes `text` to a new temporary file named with `prefix`. */
export async function tempFile(
  prefix: string,
  text: string,
): Promise<TempFile> {
  const path = await Deno.makeTempFile({ prefix });
  await Deno.writeTextFile(path, text);
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path).catch(() => {}),
  };
}
