import { chmodSync, closeSync, existsSync, openSync, statSync } from "node:fs";
import { join } from "node:path";
import { SQLITE_FILE } from "./database.js";
import { SECRET_KEY_FILE } from "./load-secret-key.js";

/**
 * The data directory holds the key, the database and every mirror: it is 0700, and the database
 * files 0600. At start each is checked: one that group or others may read is fixed when this user
 * owns it (and said so), and warned about when not. Returns one line per finding.
 */
export function secureStorePermissions(dataDir: string, sqlitePath: string = join(dataDir, SQLITE_FILE)): string[] {
  if (process.platform === "win32") return [];
  const notices: string[] = [];
  if (existsSync(dataDir)) check(dataDir, 0o700, "the data directory", notices);
  // The database may live elsewhere (`sqlite:/path`): its files are checked where they are.
  for (const file of [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`])
    check(file, 0o600, "the database file", notices);
  check(join(dataDir, SECRET_KEY_FILE), 0o600, "the secret key file", notices);
  return notices;
}

/** Creates the SQLite file 0600 before SQLite does (it would use 0644; its -wal and -shm files follow the database's mode). */
export function createPrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, "a", 0o600));
}

function check(path: string, wanted: number, what: string, notices: string[]): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const octal = (m: number): string => m.toString(8).padStart(4, "0");
  if (stat.uid === process.getuid?.()) {
    try {
      chmodSync(path, mode & wanted);
      notices.push(
        `${what} ${path} was readable by group or others (mode ${octal(mode)}); it is now ${octal(mode & wanted)}`,
      );
      return;
    } catch {
      // fall through to the warning
    }
  }
  notices.push(
    `${what} ${path} is readable by group or others (mode ${octal(mode)}) and cannot be changed by this user: run \`chmod ${octal(wanted).slice(1)} ${path}\``,
  );
}
