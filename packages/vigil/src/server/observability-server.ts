import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { httpMetrics, mountObservability, type ObservabilityOptions } from "./observability-routes.js";

export interface ObservabilityServer {
  app: Hono;
  listen(port: number, hostname?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/**
 * `/healthz`, `/readyz` and `/metrics` alone, on a port of their own: for a process that serves no
 * other HTTP (a job worker), so that Prometheus and Kubernetes reach it as they reach `vigil serve`.
 * Same answers and the same access rules as the server's routes.
 */
export function createObservabilityServer(options: ObservabilityOptions): ObservabilityServer {
  const app = new Hono();
  app.use("*", httpMetrics(options.metrics));
  mountObservability(app, options);
  let server: ServerType | undefined;
  return {
    app,
    listen(port, hostname = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, port, hostname }, (info) =>
          resolve({ port: info.port, url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${info.port}` }),
        );
        server.once("error", reject);
      });
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
