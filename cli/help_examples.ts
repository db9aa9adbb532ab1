/**
 * The examples at the end of every command's `--help`, in one table so
 * that each command's file stays about what it does. A command added to
 * the tree needs a row here: `tests/cli/help_test.ts` checks that every
 * command has one. `switchboard …` is shown as it is run from where the
 * person is (see invocation.ts).
 *
 * @example
 * ```ts
 * import { HELP_EXAMPLES } from "./help_examples.ts";
 * console.assert(HELP_EXAMPLES["users add"]!.length > 0);
 * ```
 * @module
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { addExamples, commandPath } from "./cli_error.ts";

/** Examples by command path (`""` is the program itself). */
export const HELP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  "": [
    "switchboard serve --auth open --db :memory:  # a server anyone may use, nothing stored",
    "switchboard connect 127.0.0.1:7777  # talk to it",
    "switchboard users add ada  # an account (asks for the password)",
  ],
  serve: [
    "switchboard serve  # 127.0.0.1:7777, accounts in switchboard.db",
    "switchboard serve --auth open --db :memory:  # anyone may log in; nothing stored",
    "switchboard serve --host 0.0.0.0 --port 7777 --db postgres://user:pw@db:5432/switchboard",
  ],
  connect: [
    "switchboard connect  # the REPL, to 127.0.0.1:7777",
    "switchboard connect 127.0.0.1:7777 --script examples/hello.txt",
    "printf 'login ada secret\\n2:lobby\\nexpect ^4:\\n' | switchboard connect",
  ],
  bench: [
    "switchboard bench --clients 100 --room-size 10 --duration 5",
    "switchboard bench --pattern pingpong --clients 2",
    "switchboard bench --target 127.0.0.1:7777 --json  # a server you run",
  ],
  users: [
    "switchboard users add ada",
    "switchboard users list --json",
  ],
  "users add": [
    "switchboard users add ada  # asks for the password twice",
    "echo 's3cret' | switchboard users add ada --password-stdin",
    "echo 's3cret' | switchboard users add ada --password-stdin --db postgres://user:pw@db/switchboard",
  ],
  "users passwd": [
    "switchboard users passwd ada",
    "echo 'new secret' | switchboard users passwd ada --password-stdin",
  ],
  "users remove": ["switchboard users remove bob"],
  "users disable": [
    "switchboard users disable bob  # users enable bob undoes it",
  ],
  "users enable": ["switchboard users enable bob"],
  "users list": [
    "switchboard users list",
    "switchboard users list --json --db /var/lib/switchboard/switchboard.db",
  ],
  rooms: [
    "switchboard rooms add lobby --max 16",
    "switchboard rooms list",
  ],
  "rooms add": [
    "switchboard rooms add lobby --max 16  # public, at most 16 members",
    "switchboard rooms add den --private  # asks for its password",
    "echo 'door' | switchboard rooms add vault --password-stdin  # listed, needs the password",
  ],
  "rooms list": ["switchboard rooms list", "switchboard rooms list --json"],
  "rooms remove": ["switchboard rooms remove lobby"],
  "rooms passwd": [
    "switchboard rooms passwd vault  # asks for the new password; members stay",
    "echo 'new door' | switchboard rooms passwd vault --password-stdin",
  ],
  status: [
    "switchboard serve --admin-port 7778 --admin-token-file admin.token",
    "switchboard status --token-file admin.token",
    "SWITCHBOARD_ADMIN_TOKEN=$(cat admin.token) switchboard status --watch",
    "switchboard status --admin http://10.0.0.5:7778 --token-file admin.token --json",
  ],
  admin: [
    'switchboard admin notice "the server restarts at 10:00" --token-file admin.token',
  ],
  "admin kick": [
    'switchboard admin kick 17 --reason "spamming"',
    "switchboard admin kick ada",
  ],
  "admin close-room": [
    'switchboard admin close-room lobby --reason "closing for the night"',
  ],
  "admin notice": [
    "switchboard admin notice the server restarts at 10:00",
    'switchboard admin notice --room arena "final round in 1 minute"',
  ],
  "admin drain": [
    'switchboard admin drain --timeout 300 --notice "restarting in 5 minutes" --wait',
  ],
};

/** Adds its examples to `root` and to each command below it that has a row. */
export function addHelpExamples(root: CommandUnknownOpts): void {
  const examples = HELP_EXAMPLES[commandPath(root)];
  if (examples !== undefined) addExamples(root, examples);
  for (const sub of root.commands) addHelpExamples(sub);
}
