/**
 * `switchboard users …`: accounts in the database named by `--db`.
 *
 * @example
 * ```sh
 * echo 'a long secret' | deno run -A cli/main.ts users add ada --password-stdin
 * deno run -A cli/main.ts users list --json
 * ```
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { AccountAdmin } from "../server/mod.ts";
import { table, utc, withStore } from "./admin_action.ts";
import { dbOption, dbUrlFileOption } from "./db_choice.ts";
import { readPassword } from "./password_input.ts";

/** The `users` command and its subcommands. */
export function usersCommand() {
  const users = new Command("users")
    .description("manage accounts (who may log in with --auth accounts)");

  users.command("add")
    .description("add an account; the password is asked for, never a flag")
    .argument("<name>", "username")
    .option("--password-stdin", "read the password from standard input")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((name, options, command) =>
      withStore(command, async (store) => {
        const admin = new AccountAdmin(store);
        await admin.checkNew(name);
        const password = await readPassword({
          fromStdin: options.passwordStdin === true,
          prompt: `Password for ${name}: `,
          confirm: true,
        });
        await admin.add(name, password);
        console.log(`added user ${name}`);
      }, { create: true })
    );

  users.command("passwd")
    .description("set a new password for an account")
    .argument("<name>", "username")
    .option("--password-stdin", "read the password from standard input")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((name, options, command) =>
      withStore(command, async (store) => {
        const admin = new AccountAdmin(store);
        await admin.checkExists(name);
        const password = await readPassword({
          fromStdin: options.passwordStdin === true,
          prompt: `New password for ${name}: `,
          confirm: true,
        });
        await admin.setPassword(name, password);
        console.log(`changed the password of ${name}`);
      })
    );

  const simple = [
    [
      "remove",
      "remove an account",
      "removed",
      (a: AccountAdmin, n: string) => a.remove(n),
    ],
    [
      "disable",
      "refuse an account's logins from now on",
      "disabled",
      (a: AccountAdmin, n: string) => a.disable(n),
    ],
    [
      "enable",
      "accept a disabled account's logins again",
      "enabled",
      (a: AccountAdmin, n: string) => a.enable(n),
    ],
  ] as const;
  for (const [verb, description, done, act] of simple) {
    users.command(verb)
      .description(description)
      .argument("<name>", "username")
      .addOption(dbOption())
      .addOption(dbUrlFileOption())
      .action((name, _options, command) =>
        withStore(command, async (store) => {
          await act(new AccountAdmin(store), name);
          console.log(`${done} user ${name}`);
        })
      );
  }

  users.command("list")
    .description("list accounts (a table; --json for scripts)")
    .option("--json", "print JSON: an array of accounts")
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .action((options, command) =>
      withStore(command, async (store) => {
        const accounts = await new AccountAdmin(store).list();
        if (options.json) {
          console.log(JSON.stringify(accounts));
        } else if (accounts.length === 0) {
          console.log(`no accounts in ${store.location}`);
        } else {
          console.log(table(
            ["USER", "CREATED (UTC)", "LAST LOGIN (UTC)", "STATUS"],
            accounts.map((a) => [
              a.username,
              utc(a.createdAt),
              utc(a.lastLoginAt),
              a.disabled ? "disabled" : "enabled",
            ]),
          ));
        }
      })
    );
  return users;
}
