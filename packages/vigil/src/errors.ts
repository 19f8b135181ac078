/** Every error Vigil reports at its edges, with the code users and docs/errors.md refer to. */
export const ERROR_CODES = {
  ERR_CLI_USAGE: "The command line is wrong: unknown option, missing argument.",
  ERR_SCAN_PATH_NOT_FOUND: "A path given to `vigil scan` does not exist.",
  ERR_SCAN_OUTPUT: "The output file could not be written.",
  ERR_CONFIG_NOT_FOUND: "The file given to --config does not exist.",
  ERR_CONFIG_PARSE: "The config file is not valid YAML or JSON.",
  ERR_CONFIG_INVALID: "A field of the config file has a wrong value.",
  ERR_CONFIG_PATTERN: "A custom pattern or allowlist regex does not compile, or is too large to scan at speed.",
  ERR_HOOK_NOT_A_REPO: "`vigil hook` was run outside a git repository.",
  ERR_HOOK_EXISTS: "A git hook that Vigil did not install is in the way.",
  ERR_HOOK_WRITE: "A hook file or the hooks directory could not be written.",
  ERR_HOOK_GIT: "The git binary could not be run.",
  ERR_STORE_DATABASE_URL: "The database URL is not a PostgreSQL URL and not usable as SQLite.",
  ERR_STORE_OPEN: "The database could not be opened or migrated.",
  ERR_STORE_SECRET_KEY_INVALID: "VIGIL_SECRET_KEY or the key file does not hold 32 bytes in base64 or hex.",
  ERR_STORE_SECRET_KEY_FILE: "The secret key file could not be read or created.",
  ERR_STORE_SECRET_KEY_PERMISSIONS: "The secret key file is readable by group or others.",
  ERR_STORE_SECRET_KEY_MISMATCH: "The secret key is not the one the database was written with.",
  ERR_STORE_SECRET_DECRYPT: "A stored secret could not be decrypted (wrong key or tampered data).",
  ERR_SERVER_LISTEN: "vigil serve could not listen on the port (in use, or not allowed).",
  ERR_REPO_EXISTS: "vigil repo add: a repository of that name is already registered.",
  ERR_SCAN_NOT_A_REPOSITORY: "`vigil scan --staged` or `--range` was run outside a git repository.",
  ERR_SCAN_GIT_REVISION: "A revision given to `--range` or `--since` names no commit.",
  ERR_PUSH_REPOSITORY: "vigil pre-receive: the repository is not registered with the Vigil store it was pointed at.",
  ERR_TOKEN_NOT_FOUND: "vigil token revoke: no token has that id.",
  ERR_REPO_NOT_FOUND: "vigil repo: no repository of that name is registered.",
  ERR_REPO_NOT_CONFIRMED: "vigil repo remove was not confirmed (no --yes, and no terminal to ask on).",
  ERR_REPO_WEB_URL_TEMPLATE: "A repository's --web-url-template is not an http(s) URL with known placeholders.",
  ERR_SCAN_BASELINE: "The file given to `--baseline` cannot be read or is not a baseline written by `--baseline-out`.",
  ERR_PARTNER_EXISTS: "vigil partner add: a partner of that name is already registered.",
  ERR_PARTNER_NOT_FOUND: "vigil partner remove: no partner has that name.",
  ERR_BACKFILL_FORGE:
    "vigil repo backfill: the forge's REST API refused a request or answered something else than expected.",
  ERR_SCAN_PATH_UNUSABLE:
    "A path given to `vigil scan` exists but cannot be scanned: a symbolic link loop, a link to nothing, no permission.",
  ERR_JOB_NOT_FOUND: "vigil jobs show or retry: no job has that id.",
  ERR_JOB_NOT_DEAD: "vigil jobs retry: only a dead job (out of attempts) can be retried.",
  ERR_SCAN_GIT_HISTORY:
    "The git history cannot be walked at all (every ref's commit is corrupt or missing): nothing could be scanned.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the user: one clear line, a code, an exit status. Never carries a secret. */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, exitCode = 2) {
    super(message);
    this.name = "VigilError";
    this.code = code;
    this.exitCode = exitCode;
  }
}
