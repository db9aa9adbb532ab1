/** An admin endpoint beside a test server, with requests that carry its token. */
import {
  AdminServer,
  type AdminServerOptions,
  AdminToken,
} from "../../server/mod.ts";
import type { TestServer } from "./server.ts";

/** A token long enough for the endpoint, for tests. */
export const TEST_TOKEN = "test-token-0123456789abcdef";

/** A running admin endpoint and a way to ask it things. */
export interface TestAdmin extends AsyncDisposable {
  readonly admin: AdminServer;
  readonly url: string;
  /** `fetch(url + path)` with the bearer token (and JSON when `body` is given). */
  request(path: string, body?: unknown): Promise<Response>;
  /** GET `path` as JSON; fails unless 200. */
  json<T = Record<string, unknown>>(path: string): Promise<T>;
  /** GET /metrics as text; fails unless 200. */
  metrics(): Promise<string>;
}

/** Starts an admin endpoint on 127.0.0.1:0 for `t.server`. */
export async function startAdmin(
  t: TestServer,
  options: Partial<AdminServerOptions> = {},
): Promise<TestAdmin> {
  const admin = await AdminServer.start({
    server: t.server,
    token: AdminToken.fromText(TEST_TOKEN, "test"),
    ...options,
  });
  const request = (path: string, body?: unknown) =>
    fetch(`${admin.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ok = async (response: Response) => {
    if (response.status !== 200) {
      throw new Error(
        `${response.url}: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  };
  return {
    admin,
    url: admin.url,
    request,
    json: async (path) => await (await ok(await request(path))).json(),
    metrics: async () => await (await ok(await request("/metrics"))).text(),
    async [Symbol.asyncDispose]() {
      await admin.close();
    },
  };
}
