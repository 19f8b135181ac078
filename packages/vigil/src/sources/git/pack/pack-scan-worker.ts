import { parentPort, workerData } from "node:worker_threads";
import { PackUnitScanner } from "./pack-unit-scanner.js";
import type { PackWorkerInit, PackWorkerRequest } from "./pack-worker-protocol.js";

const scanner = new PackUnitScanner(workerData as PackWorkerInit);

parentPort?.on("message", (request: PackWorkerRequest) => {
  const response = scanner.scan(request);
  const moved = [response.positions.buffer, response.outcomes.buffer, response.bytes.buffer] as ArrayBuffer[];
  parentPort?.postMessage(response, moved);
});

process.on("exit", () => scanner.close());
