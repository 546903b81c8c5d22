-- wrk script: each request carries the session cookie of one of the signed-in demo users,
-- taken in turn from the file named by the COOKIES environment variable (one cookie per line).
local cookies = {}
local n = 0

function init(args)
  local path = os.getenv("COOKIES")
  if path then
    for line in io.lines(path) do
      if #line > 0 then
        table.insert(cookies, line)
      end
    end
  end
  n = math.random(1, math.max(#cookies, 1))
end

function request()
  n = n + 1
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(n % #cookies) + 1]
  end
  return wrk.format("GET", nil, headers)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests_per_sec=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
