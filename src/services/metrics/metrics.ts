/**
 * The server's Prometheus metrics (prom-client), one registry per application, no global state:
 * HTTP requests per route (count, latency histogram), search latency by mode, background job
 * runs, and gauges read when scraped (index sizes, queue depth, digest deliveries by status).
 * `/metrics` serves `render()` when METRICS=on.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a cache hit (well under a millisecond) to a request at the server's time limit. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

export interface Metrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  observeSearch(mode: string, seconds: number): void;
  observeJob(job: string, outcome: 'ok' | 'failed', seconds: number): void;
  /** A value read at each scrape, with optional labels per reading. */
  gauge(name: string, help: string, read: () => Promise<readonly { labels?: Record<string, string>; value: number }[]> | readonly { labels?: Record<string, string>; value: number }[], labelNames?: readonly string[]): void;
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'paperboy_' });
  const requests = new Counter({ name: 'paperboy_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({ name: 'paperboy_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route pattern.', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const searches = new Histogram({ name: 'paperboy_search_duration_seconds', help: 'Search engine time per query (ranking, papers, snippets), by mode (hybrid or lexical).', labelNames: ['mode'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const jobs = new Histogram({ name: 'paperboy_job_run_duration_seconds', help: 'Background job runs on this instance, by job and outcome.', labelNames: ['job', 'outcome'], buckets: [0.01, 0.1, 1, 10, 60, 300, 1800, 7200], registers: [registry] });
  return {
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    observeSearch(mode, seconds) {
      searches.observe({ mode }, seconds);
    },
    observeJob(job, outcome, seconds) {
      jobs.observe({ job, outcome }, seconds);
    },
    gauge(name, help, read, labelNames = []) {
      // The latest reader wins: a second web app over the same services (tests) reports its own queue.
      registry.removeSingleMetric(name);
      new Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await read()) {
            if (labels) this.set(labels, value);
            else this.set(value);
          }
        },
      });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
