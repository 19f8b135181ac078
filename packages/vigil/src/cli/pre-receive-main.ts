import { registerPreReceiveCommand } from "./commands/pre-receive.js";
import { createBaseProgram, runProgram } from "./run-program.js";

/**
 * `vigil pre-receive` alone. It runs on every push, so it loads only what it needs: not the server,
 * the store (loaded on demand when connected) or the other commands. bin/vigil.js comes here when the
 * first argument is `pre-receive`.
 */
export async function main(argv: string[]): Promise<void> {
  const program = createBaseProgram();
  registerPreReceiveCommand(program);
  await runProgram(program, argv);
}
