import { Command, CommanderError } from "commander";
import { VigilError } from "../errors.js";
import { VIGIL_VERSION } from "../version.js";

/** The `vigil` program without its commands: name, version, global options, error behaviour. */
export function createBaseProgram(): Command {
  return new Command()
    .name("vigil")
    .description("Find leaked credentials in files and git history, and keep them out.")
    .version(VIGIL_VERSION, "-V, --version")
    .option("--debug", "show stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
}

/** Runs a program: one clear line per error, exit 2 for usage/config/runtime errors, never a stack trace unless --debug. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has printed the message.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const debug = argv.includes("--debug");
    if (error instanceof VigilError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`vigil: unexpected error: ${message}${debug ? "" : " (run with --debug for details)"}\n`);
      process.exitCode = 2;
    }
    if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
  }
}
