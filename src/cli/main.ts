#!/usr/bin/env node
/**
 * The `shapelab` command line. Each command lives in its own file under src/cli/commands and registers itself
 * on the program here. Errors from user input (InputError, commander's own) print one clear line and exit 2.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { codeVersion } from "../node/version.js";
import { fsReason } from "../node/files.js";
import { isSqliteError } from "../node/storeErrors.js";
import { InputError } from "../util/errors.js";
import { registerCommands } from "./commands/index.js";

/** The program with every command, or only `command`'s when that names one (faster start-up). */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command();
  program
    .name("shapelab")
    .description(
      "An opponent-shaping laboratory: iterated games, learners that shape each other (naive, LOLA, SOS, " +
        "LOLA-DiCE, Advantage Alignment), Axelrod-style strategies, tournaments and experiments.",
    )
    // The version is read only when asked for: computing it runs git (see codeVersion).
    .option("-V, --version", "the version (+ git commit in a checkout)")
    .on("option:version", () => {
      process.stdout.write(`shapelab ${codeVersion()}\n`);
      throw new CommanderError(0, "commander.version", codeVersion());
    })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  // `--version` needs no command: loading them all (as for help) would take most of a second.
  if (command !== "-V" && command !== "--version") await registerCommands(program, command);
  // Top-level help fits a screen: one line per command (its summary); flags, details and examples are in
  // `shapelab <command> --help`. Set after registering, so subcommands keep commander's default terms.
  program.configureHelp({ subcommandTerm: (cmd) => cmd.name() });
  program.addHelpText(
    "after",
    "\n`shapelab <command> --help`: flags and examples. New here? `shapelab demo`.\n" +
      "Docs: README.md and docs/ in the package.",
  );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[2]);
  try {
    await program.parseAsync(argv);
    // A command may set process.exitCode (e.g. `run`: 130 after an interrupt, 1 when some runs failed).
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`shapelab: error: ${error.message}\n`);
      return 2;
    }
    // A filesystem or SQLite failure that no command turned into an InputError: still one line, exit 2.
    const io = ioErrorMessage(error);
    if (io !== undefined) {
      process.stderr.write(`shapelab: error: ${io}\n`);
      return 2;
    }
    throw error;
  }
}

/** One line for an fs error (it carries the path) or a SQLite error; undefined for anything else (a bug). */
function ioErrorMessage(error: unknown): string | undefined {
  if (isSqliteError(error)) return `run store: ${error.message} (${error.code})`;
  const e = error as NodeJS.ErrnoException | null;
  if (e instanceof Error && typeof e.code === "string" && typeof e.path === "string")
    return `"${e.path}": ${fsReason(e)} (${e.code})`;
  return undefined;
}

/** True when this module is the program being run (the bin, or `node main.js`), not a module a test imports. */
function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `shapelab … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });

  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `shapelab: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
