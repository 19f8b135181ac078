import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { createLogger } from "../../server/create-logger.js";
import { createServer } from "../../server/create-server.js";
import { scanRepositoryHistory } from "../../server/scan-repository-history.js";
import { openStore } from "../../store/index.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { parseInteger } from "./scan.js";

interface ServeOptions extends StoreCommandOptions {
  port: string;
  host: string;
  publicUrl?: string;
  fetchInterval: string;
}

export function registerServeCommand(program: Command): void {
  addStoreOptions(
    program
      .command("serve")
      .description("Run the Vigil server: GitHub-compatible secret-scanning REST API under /api/v3, repository scans in the background")
      .option("-p, --port <port>", "port to listen on", process.env.PORT ?? "8080")
      .option("--host <host>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
      .option("--public-url <url>", "the URL users reach the server at (default: the request's own origin)")
      .option("--fetch-interval <seconds>", "how often mirrored repositories are fetched and rescanned", "300"),
  )
    .addHelpText(
      "after",
      `
The first start creates the site administrator 'admin'. Get a token for it with:
  vigil token create --user admin --data-dir <same data dir>`,
    )
    .action(async (options: ServeOptions) => {
      const port = parseInteger(options.port, "--port", 0, 65535);
      const fetchInterval = parseInteger(options.fetchInterval, "--fetch-interval", 10, 86400);
      const log = createLogger();
      const { dataDir, url } = storeLocation(options);
      const opened = await openStore({ dataDir, url, env: process.env });
      const { store } = opened;
      if ((await store.listUsers()).length === 0) {
        await store.createUser({ login: "admin", siteAdmin: true });
        process.stderr.write(`vigil: created the site administrator 'admin'. Get a token with:\n  vigil token create --user admin --data-dir ${dataDir}\n`);
      }
      const storeEnv: Record<string, string> = { VIGIL_DATA_DIR: dataDir };
      if (url) storeEnv.VIGIL_DATABASE_URL = url;
      if (process.env.VIGIL_SECRET_KEY) storeEnv.VIGIL_SECRET_KEY = process.env.VIGIL_SECRET_KEY;
      const server = createServer({
        store,
        pushProtection: opened.pushProtection,
        storeEnv,
        dataDir,
        log,
        scanHistory: scanRepositoryHistory,
        fetchIntervalMs: fetchInterval * 1000,
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      });
      let listening: { url: string };
      try {
        listening = await server.listen(port, options.host);
      } catch (error) {
        await opened.close();
        const code = (error as NodeJS.ErrnoException).code;
        throw new VigilError("ERR_SERVER_LISTEN", `cannot listen on ${options.host}:${port}: ${code ?? String(error)}`);
      }
      process.stderr.write(`vigil: serving ${listening.url} (API ${listening.url}/api/v3, ${opened.dialect} store)\n`);
      log.info({ url: listening.url, dialect: opened.dialect }, "vigil serve started");
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
      await opened.close();
    });
}
