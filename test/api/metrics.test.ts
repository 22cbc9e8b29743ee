import { describe, expect, it } from 'vitest';
import { HttpMetrics } from '../../api/metrics.ts';

describe('HttpMetrics', () => {
  it('renders cumulative histogram buckets, sum and count', () => {
    const metrics = new HttpMetrics();
    metrics.observe('GET', '/a', 200, 0.004);
    metrics.observe('GET', '/a', 200, 0.2);
    metrics.observe('GET', '/a', 500, 30);
    const text = metrics.render();
    expect(text).toContain('takt_http_requests_total{method="GET",route="/a",status="200"} 2');
    expect(text).toContain('takt_http_requests_total{method="GET",route="/a",status="500"} 1');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/a",le="0.005"} 1');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/a",le="0.1"} 1');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/a",le="0.25"} 2');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/a",le="10"} 2');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/a",le="+Inf"} 3');
    expect(text).toContain('takt_http_request_duration_seconds_sum{method="GET",route="/a"} 30.204');
    expect(text).toContain('takt_http_request_duration_seconds_count{method="GET",route="/a"} 3');
  });

  it('escapes label values', () => {
    const metrics = new HttpMetrics();
    metrics.observe('GET', 'a"b\\c', 200, 0);
    expect(metrics.render()).toContain('route="a\\"b\\\\c"');
  });
});
