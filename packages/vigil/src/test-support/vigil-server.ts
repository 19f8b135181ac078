import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "../store/test-databases.js";
import { CLI, runCli, type CliResult } from "./run-cli.js";

export interface RunningServer {
  url: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The server's `VIGIL_SECRET_KEY` (to open its store from a test). */
  secretKey: string;
  /** Runs a server-side command against the same data directory and database. */
  cli(args: string[], env?: NodeJS.ProcessEnv): CliResult;
  /** kill -9 of the server process (the data stays). */
  crash(): Promise<void>;
  /** Starts the server again on the same port, data directory and database (after `crash`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const KEY = randomBytes(32).toString("base64");

/** Starts the built `vigil serve` on a free port, on SQLite or on a fresh PostgreSQL database. */
export async function startVigilServer(
  options: { postgresUrl?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-serve-"));
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (options.postgresUrl) {
    const name = `vigil_e2e_${process.pid}_${randomBytes(3).toString("hex")}`;
    await withClient(options.postgresUrl, (c) => c.query(`create database ${name}`));
    const url = new URL(options.postgresUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () =>
      withClient(options.postgresUrl!, (c) => c.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      );
  }
  const storeArgs = ["--data-dir", dataDir, ...(databaseUrl ? ["--database-url", databaseUrl] : [])];
  const env = { ...process.env, VIGIL_SECRET_KEY: KEY, VIGIL_LOG_LEVEL: "warn", CI: "true", ...options.env };
  const launch = (port: string): { child: ChildProcess; url: Promise<string> } => {
    const child: ChildProcess = spawn(
      process.execPath,
      [CLI, "serve", "--port", port, ...storeArgs, ...(options.extraArgs ?? [])],
      { env, stdio: ["ignore", "ignore", "pipe"] },
    );
    const url = new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr!.on("data", (chunk: Buffer) => {
        err += chunk.toString();
        const match = /serving (http:\/\/\S+)/.exec(err);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`vigil serve exited with ${code}: ${err}`)));
    });
    return { child, url };
  };
  let { child, url: listening } = launch("0");
  const url = await listening;
  return {
    url,
    dataDir,
    databaseUrl,
    secretKey: KEY,
    cli: (args, extra) => runCli([...args, ...storeArgs], { env: { VIGIL_SECRET_KEY: KEY, ...extra } }),
    async crash() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      ({ child, url: listening } = launch(new URL(url).port));
      await listening;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
