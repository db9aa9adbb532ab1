/**
 * The admin actions over HTTP: `POST /kick`, `/close-room`, `/notice`,
 * `/drain`, each with a JSON body, answered with JSON. Input errors are
 * 400, a missing session or room 404, a second drain 409.
 *
 * @example
 * ```ts
 * import { actionRoutes } from "./action_routes.ts";
 * console.assert(Object.keys(actionRoutes).includes("/kick"));
 * ```
 * @module
 */
import {
  AdminActionError,
  type AdminActions,
  type KickTarget,
} from "./admin_actions.ts";
import { failure, json } from "./http_replies.ts";

/** Longest drain the endpoint accepts: a day. */
export const MAX_DRAIN_SECONDS = 86_400;

/** What an action route may use. */
export interface ActionContext {
  readonly actions: AdminActions;
  /**
   * Stops the process gracefully (as on SIGTERM); absent when the server is
   * used as a library, where a drain then only drains.
   */
  readonly stop?: () => void;
}

type Route = (
  body: Record<string, unknown>,
  ctx: ActionContext,
) => Response | Promise<Response>;

/** The routes by path. */
export const actionRoutes: Readonly<Record<string, Route>> = {
  "/kick": (body, { actions }) => {
    const target = kickTarget(body);
    return json(200, actions.kick(target, optionalText(body, "reason")));
  },
  "/close-room": (body, { actions }) =>
    json(
      200,
      actions.closeRoom(
        requiredText(body, "room"),
        optionalText(body, "reason"),
      ),
    ),
  "/notice": (body, { actions }) =>
    json(
      200,
      actions.notice(requiredText(body, "text"), optionalText(body, "room")),
    ),
  "/drain": (body, { actions, stop }) => {
    const seconds = body.timeoutSeconds ?? 30;
    if (
      typeof seconds !== "number" || !Number.isInteger(seconds) ||
      seconds < 0 ||
      seconds > MAX_DRAIN_SECONDS
    ) {
      throw new AdminActionError(
        "invalid",
        `timeoutSeconds must be a whole number from 0 to ${MAX_DRAIN_SECONDS}`,
      );
    }
    const exit = flag(body, "exit", true);
    const wait = flag(body, "wait", false);
    const done = actions.drain({
      timeoutMs: seconds * 1000,
      notice: optionalText(body, "notice"),
    });
    const stops = exit && stop !== undefined;
    // The stop closes this endpoint only after answers in progress (such
    // as a waiting drain's) have gone out.
    done.then(() => {
      if (stops) stop();
    });
    if (!wait) return json(202, { draining: actions.draining, exit: stops });
    return done.then(() =>
      json(200, { draining: actions.draining, exit: stops })
    );
  },
};

/** Runs `route`, turning action errors into answers. */
export async function runAction(
  route: Route,
  body: Record<string, unknown>,
  ctx: ActionContext,
): Promise<Response> {
  try {
    return await route(body, ctx);
  } catch (error) {
    if (!(error instanceof AdminActionError)) throw error;
    const status = error.code === "not-found"
      ? 404
      : error.code === "conflict"
      ? 409
      : 400;
    return failure(status, error.code, error.message);
  }
}

function kickTarget(body: Record<string, unknown>): KickTarget {
  if (body.session !== undefined) {
    const id = body.session;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
      throw new AdminActionError("invalid", "session must be a session id");
    }
    return { session: id };
  }
  if (typeof body.user === "string" && body.user !== "") {
    return { user: body.user };
  }
  throw new AdminActionError(
    "invalid",
    'name the session to kick: {"session": 7} or {"user": "ada"}',
  );
}

function flag(
  body: Record<string, unknown>,
  key: string,
  otherwise: boolean,
): boolean {
  const value = body[key] ?? otherwise;
  if (typeof value !== "boolean") {
    throw new AdminActionError("invalid", `${key} must be true or false`);
  }
  return value;
}

function requiredText(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || value === "") {
    throw new AdminActionError("invalid", `${key} must be non-empty text`);
  }
  return value;
}

function optionalText(
  body: Record<string, unknown>,
  key: string,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new AdminActionError("invalid", `${key} must be text`);
  }
  return value;
}
