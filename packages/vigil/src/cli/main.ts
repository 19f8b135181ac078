import { Help, type Command } from "commander";
import { COMMANDS } from "./command-table.js";
import { createBaseProgram, runProgram } from "./run-program.js";

/**
 * The command argv asks for: the first word after the global options (none of which takes a value),
 * or the one after `help`. Undefined for none, or a name that is not a command.
 */
export function requestedCommand(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const name = words[0] === "help" ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/**
 * The program for one run: the requested command registered for real (its module loaded), every
 * other one as a stub with its name and description, enough for the program's help, `help <command>`
 * routing and commander's "did you mean" on a typo.
 */
export async function createProgramFor(argv: readonly string[]): Promise<Command> {
  const program = createBaseProgram();
  const requested = requestedCommand(argv);
  const register = requested === undefined ? undefined : await COMMANDS[requested]!.register();
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (name === requested) register!(program);
    else program.command(name).description(entry.description);
  }
  // Stubs have no options or arguments of their own: list each command as its real one would be.
  const help = new Help();
  program.configureHelp({
    subcommandTerm: (command) => COMMANDS[command.name()]?.term ?? help.subcommandTerm(command),
  });
  return program;
}

/** Runs the CLI: one clear line per error, exit 2 for usage/config/runtime errors, never a stack trace unless --debug. */
export async function main(argv: string[]): Promise<void> {
  await runProgram(await createProgramFor(argv), argv);
}
