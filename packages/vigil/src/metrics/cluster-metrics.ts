import type { Worker } from "node:cluster";
import { AggregatorRegistry, type PrometheusContentType } from "prom-client";
import type { VigilMetrics } from "./vigil-metrics.js";

/**
 * `vigil serve --workers N`: the port is shared, so a scrape reaches any one process. That process
 * asks the primary, which gathers every process's registry (prom-client's cluster aggregation) and
 * answers with the sum; so one scrape sees the whole server.
 */
interface ScrapeRequest {
  vigilMetricsRequest: number;
}
interface ScrapeResponse {
  vigilMetricsResponse: number;
  text?: string;
  error?: string;
}

/** In the primary: answers a worker's scrape request with the cluster's metrics. */
export function answerClusterScrapes(worker: Worker, aggregator: AggregatorRegistry<PrometheusContentType>): void {
  worker.on("message", (message: Partial<ScrapeRequest>) => {
    if (typeof message?.vigilMetricsRequest !== "number") return;
    const id = message.vigilMetricsRequest;
    aggregator.clusterMetrics().then(
      (text: string) => worker.isConnected() && worker.send({ vigilMetricsResponse: id, text } satisfies ScrapeResponse),
      (error: unknown) =>
        worker.isConnected() && worker.send({ vigilMetricsResponse: id, error: error instanceof Error ? error.message : String(error) } satisfies ScrapeResponse),
    );
  });
}

export function createClusterAggregator(): AggregatorRegistry<PrometheusContentType> {
  return new AggregatorRegistry();
}

/** In a worker: its registry is the one the primary gathers; a scrape asks the primary (its own metrics if the primary does not answer). */
export function clusterScrape(metrics: VigilMetrics, timeoutMs = 5000): () => Promise<string> {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one is what makes prom-client answer the primary's requests in this process.
  new AggregatorRegistry();
  let next = 0;
  return () =>
    new Promise<string>((resolve) => {
      const id = ++next;
      const fallback = (): void => {
        process.off("message", onMessage);
        clearTimeout(timer);
        resolve(metrics.registry.metrics());
      };
      const onMessage = (message: Partial<ScrapeResponse>): void => {
        if (message?.vigilMetricsResponse !== id) return;
        process.off("message", onMessage);
        clearTimeout(timer);
        if (message.text !== undefined) resolve(message.text);
        else fallback();
      };
      const timer = setTimeout(fallback, timeoutMs);
      process.on("message", onMessage);
      if (process.send) process.send({ vigilMetricsRequest: id } satisfies ScrapeRequest);
      else fallback();
    });
}
