-- One page under load. perf/bench.py passes the method, body, cookies and headers in the
-- environment and reads the JSON line that done() prints.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Accept-Encoding"] = "gzip, br"
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
local csrf = os.getenv("BENCH_CSRF")
if csrf and csrf ~= "" then wrk.headers["X-CSRFToken"] = csrf end
if os.getenv("BENCH_HTMX") == "1" then wrk.headers["HX-Request"] = "true" end
-- A repeat look with the copy it was sent: the answer expected is 304, with no body.
local etag = os.getenv("BENCH_IF_NONE_MATCH")
if etag and etag ~= "" then wrk.headers["If-None-Match"] = etag end
local expected = tonumber(os.getenv("BENCH_EXPECT") or "") or 200
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

-- wrk counts only 4xx/5xx as errors; a redirect to the sign-in page must count too, and so must
-- a 200 where a 304 is expected (the page was computed again).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_2xx = 0 end
function response(status, headers, body)
  if expected == 304 then
    if status ~= 304 then not_2xx = not_2xx + 1 end
  elseif status < 200 or status > 299 then not_2xx = not_2xx + 1 end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "not_2xx": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    not_ok, e.connect, e.read, e.write, e.timeout))
end
