/**
 * HTTP request metrics kept by the API process, rendered in the Prometheus text format:
 * `takt_http_requests_total{method,route,status}` and
 * `takt_http_request_duration_seconds{method,route}` (histogram).
 */
import { promLabels } from '../sync/core-metrics.ts';

export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  readonly method: string;
  readonly route: string;
  /** Non-cumulative counts per bucket; rendered cumulatively. */
  readonly bucketCounts: number[];
  sum: number;
  count: number;
}

export class HttpMetrics {
  private readonly requests = new Map<string, { method: string; route: string; status: string; count: number }>();
  private readonly durations = new Map<string, Histogram>();

  /** `route` is the route template (`/v1/plants/:plant/schedule`), never the raw URL, to bound cardinality. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const requestKey = `${method} ${route} ${status}`;
    const counter = this.requests.get(requestKey) ?? { method, route, status: String(status), count: 0 };
    counter.count += 1;
    this.requests.set(requestKey, counter);

    const durationKey = `${method} ${route}`;
    let histogram = this.durations.get(durationKey);
    if (histogram === undefined) {
      histogram = { method, route, bucketCounts: DURATION_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(durationKey, histogram);
    }
    const bucket = DURATION_BUCKETS_SECONDS.findIndex((le) => seconds <= le);
    if (bucket >= 0) histogram.bucketCounts[bucket] = (histogram.bucketCounts[bucket] ?? 0) + 1;
    histogram.sum += seconds;
    histogram.count += 1;
  }

  render(): string {
    const lines: string[] = [
      '# HELP takt_http_requests_total HTTP requests answered, by method, route and status.',
      '# TYPE takt_http_requests_total counter',
    ];
    for (const c of this.requests.values()) {
      lines.push(`takt_http_requests_total${promLabels({ method: c.method, route: c.route, status: c.status })} ${c.count}`);
    }
    lines.push(
      '# HELP takt_http_request_duration_seconds HTTP request latency, by method and route.',
      '# TYPE takt_http_request_duration_seconds histogram',
    );
    for (const h of this.durations.values()) {
      let cumulative = 0;
      DURATION_BUCKETS_SECONDS.forEach((le, i) => {
        cumulative += h.bucketCounts[i] ?? 0;
        lines.push(`takt_http_request_duration_seconds_bucket${promLabels({ method: h.method, route: h.route, le: String(le) })} ${cumulative}`);
      });
      lines.push(`takt_http_request_duration_seconds_bucket${promLabels({ method: h.method, route: h.route, le: '+Inf' })} ${h.count}`);
      lines.push(`takt_http_request_duration_seconds_sum${promLabels({ method: h.method, route: h.route })} ${h.sum}`);
      lines.push(`takt_http_request_duration_seconds_count${promLabels({ method: h.method, route: h.route })} ${h.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
