/**
 * `switchboard admin kick|close-room|notice|drain`: the operator's actions
 * on a running server, through its admin endpoint. Each prints what it did
 * in one line; failures print one `switchboard:` line and exit 1.
 *
 * @example
 * ```sh ignore
 * switchboard admin kick ada --reason "be nice" --token-file admin.token
 * switchboard admin close-room lobby --reason "closing for the night"
 * switchboard admin notice "the server restarts at 10:00"
 * switchboard admin drain --timeout 300 --notice "restarting in 5 minutes" --wait
 * ```
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { DrainState } from "../server/mod.ts";
import {
  AdminClient,
  adminUrlOption,
  failAdmin,
  readToken,
  tokenFileOption,
} from "./admin_client.ts";

function drainSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 86_400) {
    throw new InvalidArgumentError("expected whole seconds from 0 to 86400");
  }
  return n;
}

/** Runs `act` with a client for the endpoint the options name. */
async function withClient(
  options: { admin: string; tokenFile?: string },
  act: (client: AdminClient) => Promise<string>,
): Promise<void> {
  try {
    const client = new AdminClient(
      options.admin,
      await readToken(options.tokenFile),
    );
    console.log(await act(client));
  } catch (error) {
    failAdmin(error);
  }
}

/** The `admin` command and its subcommands. */
export function adminCommand() {
  const admin = new Command("admin")
    .description(
      "act on a running server through its admin endpoint (serve --admin-port)",
    )
    .addHelpText(
      "after",
      `
Every subcommand takes --admin URL (default $SWITCHBOARD_ADMIN_URL or
http://127.0.0.1:7778) and --token-file FILE (default $SWITCHBOARD_ADMIN_TOKEN).`,
    );

  admin.command("kick")
    .description(
      "end a session: the client gets 9:0:kicked:<reason> then 0:-1, its room is told",
    )
    .argument("<session-or-user>", "a session id, or a username")
    .option("--reason <text>", "what the client is told")
    .addOption(adminUrlOption())
    .addOption(tokenFileOption())
    .action((who, options) =>
      withClient(options, async (client) => {
        const target = /^\d+$/.test(who)
          ? { session: Number(who) }
          : { user: who };
        const done = await client.post<{ session: number; user: string }>(
          "/kick",
          { ...target, reason: options.reason },
        );
        return `kicked session ${done.session} (${done.user})`;
      })
    );

  admin.command("close-room")
    .description(
      "empty a room: every member leaves it (and is told why, with --reason)",
    )
    .argument("<room>", "room name")
    .option("--reason <text>", "sent to the members first as 8:room:<text>")
    .addOption(adminUrlOption())
    .addOption(tokenFileOption())
    .action((room, options) =>
      withClient(options, async (client) => {
        const done = await client.post<{ room: string; members: number }>(
          "/close-room",
          { room, reason: options.reason },
        );
        return `closed room ${done.room}: ${done.members} ${
          done.members === 1 ? "member" : "members"
        } left it`;
      })
    );

  admin.command("notice")
    .description(
      "tell every session (8:server:<text>), or a room's members (8:room:<text>)",
    )
    .argument("<text...>", "the notice")
    .option("--room <room>", "only this room's members")
    .addOption(adminUrlOption())
    .addOption(tokenFileOption())
    .action((words, options) =>
      withClient(options, async (client) => {
        const done = await client.post<{ receivers: number }>("/notice", {
          text: words.join(" "),
          room: options.room,
        });
        return `notice sent to ${done.receivers} ${
          done.receivers === 1 ? "session" : "sessions"
        }${options.room === undefined ? "" : ` in ${options.room}`}`;
      })
    );

  admin.command("drain")
    .description(
      "stop accepting, tell everyone, wait for them to leave (or the timeout), end the rest; then the server stops",
    )
    .option(
      "--timeout <seconds>",
      "time clients have to leave",
      drainSeconds,
      30,
    )
    .option("--notice <text>", "what everyone is told (8:server:<text>)")
    .option("--stay", "keep the server running (not accepting) when done")
    .option("--wait", "wait until the drain is done and say how it went")
    .addOption(adminUrlOption())
    .addOption(tokenFileOption())
    .action((options) =>
      withClient(options, async (client) => {
        const wait = options.wait === true;
        const answer = await client.post<
          { draining: DrainState; exit: boolean }
        >(
          "/drain",
          {
            timeoutSeconds: options.timeout,
            notice: options.notice,
            exit: options.stay !== true,
            wait,
          },
          // Waiting: the answer comes once the drain is done.
          wait ? options.timeout * 1000 + 60_000 : undefined,
        );
        const then = answer.exit
          ? "the server stops when done"
          : "the server stays up, not accepting";
        const result = answer.draining.result;
        if (!wait || result === null) {
          return `draining: no new connections; sessions still there in ${options.timeout} s are ended; ${then}`;
        }
        return `drained in ${
          (result.ms / 1000).toFixed(1)
        } s: ${result.left} left on their own, ${result.ended} ended at the deadline${
          answer.exit ? "; the server is stopping" : ""
        }`;
      })
    );

  return admin;
}
