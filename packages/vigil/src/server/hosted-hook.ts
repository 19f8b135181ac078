import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI script this build runs from; hosted repositories' hooks call it. */
export const VIGIL_BIN = fileURLToPath(new URL("../../bin/vigil.js", import.meta.url));

/**
 * Installs push protection into a repository Vigil hosts: a `pre-receive` hook that runs
 * `vigil pre-receive`, which finds the store through the environment `git http-backend` passes on.
 * Rewritten at every start so that it follows the installed Node.js and Vigil.
 */
export function installPreReceiveHook(gitDir: string): void {
  const hooks = join(gitDir, "hooks");
  mkdirSync(hooks, { recursive: true });
  const script = `#!/bin/sh\n# Installed by vigil serve: push protection for this hosted repository.\nexec ${shellQuote(process.execPath)} ${shellQuote(VIGIL_BIN)} pre-receive\n`;
  const path = join(hooks, "pre-receive");
  writeFileSync(path, script, { mode: 0o755 });
  chmodSync(path, 0o755);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
