-- wrk script shared by every benchmark run of bench/run.sh.
--
-- * GET by default. When BENCH_BODY is set, the request becomes a form POST with that body and, when
--   BENCH_AUTHORIZATION is set, that Authorization header (the token endpoint's client_secret_basic).
--   Credentials come from the environment so that this file holds no secret.
-- * Counts responses that are not 2xx exactly: wrk's own "Non-2xx or 3xx" counter only counts status >= 400,
--   and a 302 to /login would be a failure here too.
-- * Stops each thread after BENCH_MAX_REQUESTS / threads responses, so a run is bounded in request count as well as
--   in duration (-d).
-- * done() prints one machine-readable "BENCH_RESULT ..." line that run.sh parses into the summary table.

local body = os.getenv("BENCH_BODY")
if body ~= nil and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  local authorization = os.getenv("BENCH_AUTHORIZATION")
  if authorization ~= nil and authorization ~= "" then
    wrk.headers["Authorization"] = authorization
  end
end
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  responses = 0
  cap = tonumber(os.getenv("BENCH_MAX_REQUESTS_PER_THREAD") or "") or 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  responses = responses + 1
  if cap > 0 and responses >= cap then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d "
      .. "socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad, e.connect + e.read + e.write + e.timeout))
end
