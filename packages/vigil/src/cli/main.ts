import { Command, CommanderError } from "commander";
import { VigilError } from "../errors.js";
import { VIGIL_VERSION } from "../version.js";
import { registerDbCommand } from "./commands/db.js";
import { registerGrantCommand } from "./commands/grant.js";
import { registerHookCommand } from "./commands/hook.js";
import { registerPatternsCommand } from "./commands/patterns.js";
import { registerPreReceiveCommand } from "./commands/pre-receive.js";
import { registerRepoCommand } from "./commands/repo.js";
import { registerScanCommand } from "./commands/scan.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerTokenCommand } from "./commands/token.js";

export function createProgram(): Command {
  const program = new Command()
    .name("vigil")
    .description("Find leaked credentials in files and git history, and keep them out.")
    .version(VIGIL_VERSION, "-V, --version")
    .option("--debug", "show stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerScanCommand(program);
  registerPatternsCommand(program);
  registerHookCommand(program);
  registerServeCommand(program);
  registerPreReceiveCommand(program);
  registerRepoCommand(program);
  registerTokenCommand(program);
  registerGrantCommand(program);
  registerDbCommand(program);
  return program;
}

/** Runs the CLI: one clear line per error, exit 2 for usage/config/runtime errors, never a stack trace unless --debug. */
export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
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
