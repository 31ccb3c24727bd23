-- wrk -s percentiles.lua: prints p50/p95/p99 latency and the error counts (non-2xx/3xx are "status") at the end of a run.
done = function(summary, latency, requests)
  io.write(string.format("requests %d in %.1f s (%.0f/s), errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
