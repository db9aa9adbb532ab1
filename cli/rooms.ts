/**
 * `switchboard rooms …`: declared rooms in the database named by `--db`.
 * Declared rooms exist even when empty, are listed by `1:` with their
 * member count, and may carry a password and a member limit.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts rooms add lobby --max 16
 * echo 'door code' | deno run -A cli/main.ts rooms add den --private --password-stdin
 * deno run -A cli/main.ts rooms list
 * ```
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { MAX_ROOM_MEMBERS, RoomAdmin } from "../server/rooms/room_admin.ts";
import { table, utc, withStore } from "./admin_action.ts";
import { dbOption, dbUrlFileOption } from "./db_choice.ts";
import { readPassword } from "./password_input.ts";

function memberLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_ROOM_MEMBERS) {
    throw new InvalidArgumentError(
      `expected a whole number from 1 to ${MAX_ROOM_MEMBERS}`,
    );
  }
  return n;
}

/** The `rooms` command and its subcommands. */
export function roomsCommand() {
  const rooms = new Command("rooms")
    .description("manage declared rooms (they exist even when empty)");

  rooms.command("add")
    .description("declare a room")
    .argument("<name>", "room name")
    .option("--max <n>", "most members at once", memberLimit)
    .option(
      "--private",
      "hidden from 1: unless its password is given (needs a password)",
    )
    .option("--password-stdin", "read the room's password from standard input")
    .option(
      "--ask-password",
      "ask for a password on the terminal (implied by --private)",
    )
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((name, options, command) =>
      withStore(command, async (store) => {
        const admin = new RoomAdmin(store);
        const isPrivate = options.private === true;
        const fromStdin = options.passwordStdin === true;
        const asks = fromStdin || isPrivate || options.askPassword === true;
        const spec = { name, isPrivate, maxMembers: options.max ?? null };
        admin.checkSpec(spec, asks);
        const password = asks
          ? await readPassword({
            fromStdin,
            prompt: `Password for room ${name}: `,
            confirm: true,
            reason: isPrivate
              ? "a private room needs a password: this command"
              : undefined,
          })
          : "";
        await admin.add({ ...spec, password });
        console.log(`added room ${name}`);
      }, { create: true })
    );

  rooms.command("list")
    .description("list declared rooms (a table; --json for scripts)")
    .option("--json", "print JSON: an array of rooms")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((options, command) =>
      withStore(command, async (store) => {
        const list = await new RoomAdmin(store).list();
        if (options.json) {
          console.log(JSON.stringify(list));
        } else if (list.length === 0) {
          console.log(`no declared rooms in ${store.location}`);
        } else {
          console.log(table(
            ["ROOM", "VISIBILITY", "PASSWORD", "MAX", "CREATED (UTC)"],
            list.map((r) => [
              r.name,
              r.isPrivate ? "private" : "public",
              r.hasPassword ? "yes" : "no",
              r.maxMembers === null ? "-" : String(r.maxMembers),
              utc(r.createdAt),
            ]),
          ));
        }
      })
    );

  rooms.command("passwd")
    .description(
      "give a declared room a new password (members stay; new joins need it)",
    )
    .argument("<name>", "room name")
    .option("--password-stdin", "read the password from standard input")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((name, options, command) =>
      withStore(command, async (store) => {
        const admin = new RoomAdmin(store);
        await admin.checkExists(name);
        const password = await readPassword({
          fromStdin: options.passwordStdin === true,
          prompt: `New password for room ${name}: `,
          confirm: true,
        });
        await admin.setPassword(name, password);
        console.log(`changed the password of room ${name}`);
      })
    );

  rooms.command("remove")
    .description("remove a declared room (members in it stay until they leave)")
    .argument("<name>", "room name")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((name, _options, command) =>
      withStore(command, async (store) => {
        await new RoomAdmin(store).remove(name);
        console.log(`removed room ${name}`);
      })
    );
  return rooms;
}
