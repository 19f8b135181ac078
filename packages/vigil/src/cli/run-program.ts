import { Command, CommanderError } from "commander";
import { VigilError } from "../errors.js";
import { VIGIL_VERSION } from "../version.js";
import { GITLEAKS_POINTERS } from "./gitleaks-pointers.js";

/** The `vigil` program without its commands: name, version, global options, error behaviour. */
export function createBaseProgram(): Command {
  return new Command()
    .name("vigil")
    .description("Find leaked credentials in files and git history, and keep them out.")
    .version(VIGIL_VERSION, "-V, --version")
    .option("--debug", "show stack traces for errors")
    .exitOverride();
}

/**
 * Commander's own errors (unknown option or command, missing argument) as Vigil prints every error:
 * one line starting `vigil:`, with a pointer for gitleaks' flags and commands, and where to find usage.
 */
export function formatParserError(text: string, commandPath: string): string {
  const [first = "", ...rest] = text.trimEnd().split("\n");
  let line = first.replace(/^error: /, "");
  const suggestion = rest
    .join(" ")
    .trim()
    .replace(/^\((Did you mean .*)\)$/, "$1");
  if (suggestion) line += ` (${suggestion.charAt(0).toLowerCase()}${suggestion.slice(1)})`;
  const unknown = /^unknown (?:option|command) '([^'=]+)/.exec(line)?.[1];
  const pointer =
    unknown !== undefined && Object.hasOwn(GITLEAKS_POINTERS, unknown) ? GITLEAKS_POINTERS[unknown] : undefined;
  if (pointer) line += `: ${pointer}`;
  return `vigil: ${line} (run ${commandPath} --help for usage)\n`;
}

/** Routes the parser errors of a command and all its subcommands through formatParserError. */
function prefixParserErrors(command: Command, path: string): void {
  command.configureOutput({ outputError: (text, write) => write(formatParserError(text, path)) });
  for (const sub of command.commands) prefixParserErrors(sub, `${path} ${sub.name()}`);
}

/** Runs a program: one clear line per error, exit 2 for usage/config/runtime errors, never a stack trace unless --debug. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  prefixParserErrors(program, program.name());
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
