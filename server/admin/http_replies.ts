/**
 * The admin endpoint's answers: JSON and text with the headers every answer
 * carries (no caching, no sniffing, no framing), and reading a JSON body
 * within a size limit.
 *
 * @example
 * ```ts
 * import { json } from "./http_replies.ts";
 * const reply = json(200, { ok: true });
 * console.assert(reply.headers.get("cache-control") === "no-store");
 * ```
 * @module
 */

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Headers on every answer. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** A JSON answer. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: {
      ...COMMON_HEADERS,
      "content-type": "application/json; charset=utf-8",
      ...headers,
    },
  });
}

/** A plain-text answer. */
export function text(
  status: number,
  body: string,
  contentType = "text/plain; charset=utf-8",
): Response {
  return new Response(body, {
    status,
    headers: { ...COMMON_HEADERS, "content-type": contentType },
  });
}

/** `{ "error": { "code", "message" } }` with `status`. */
export function failure(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { code, message } }, headers);
}

/** Why a request body was not usable. */
export class BodyError extends Error {
  override readonly name = "BodyError";

  /** `status` is the HTTP status to answer with. */
  constructor(readonly status: 400 | 413, message: string) {
    super(message);
  }
}

/**
 * Reads the body as a JSON object (an empty body is `{}`), at most
 * {@linkcode MAX_BODY_BYTES} bytes.
 *
 * @throws {BodyError} when too large, not JSON, or not an object.
 */
export async function readJsonObject(
  request: Request,
): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new BodyError(
      413,
      `the body may have at most ${MAX_BODY_BYTES} bytes`,
    );
  }
  // Any content type is read as JSON: `curl -d` sends a form type, and the
  // bearer header, not the type, is what keeps other sites out.
  const bytes = await readCapped(request);
  if (bytes.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new BodyError(400, "the body is not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new BodyError(400, "the body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

async function readCapped(request: Request): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) {
      throw new BodyError(
        413,
        `the body may have at most ${MAX_BODY_BYTES} bytes`,
      );
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
