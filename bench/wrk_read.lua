-- wrk script for the gateway-overhead reads of bench/e2e_bench.py: the same GETs, each request
-- with the next path and the next bearer token of the plan (as bench/locustfile.py's ReadUser).
--
--   wrk -t2 -c4 -d10s --latency -s bench/wrk_read.lua http://127.0.0.1:PORT -- <paths> <tokens>
--
-- paths, tokens: files of one path (/t/pie/accounts/<id>) or one JWT a line. Each thread starts
-- at its own offset in both, so the threads do not walk the same tokens in step.
-- done() prints one line "BENCH_JSON {...}" with the counts, errors and latency percentiles.

local function read_lines(path)
  local items = {}
  for line in io.lines(path) do
    if line ~= "" then items[#items + 1] = line end
  end
  assert(#items > 0, "nothing in " .. path)
  return items
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local paths, tokens
local next_path, next_token = 0, 0
local headers = {}

function init(args)
  paths, tokens = read_lines(args[1]), read_lines(args[2])
  local offset = (thread_id or 1) * 7
  next_path, next_token = offset % #paths, offset % #tokens
  headers["Host"] = wrk.host .. ":" .. wrk.port
end

function request()
  next_path = next_path % #paths + 1
  next_token = next_token % #tokens + 1
  headers["Authorization"] = "Bearer " .. tokens[next_token]
  return wrk.format("GET", paths[next_path], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, ' ..
    '"p50": %d, "p75": %d, "p90": %d, "p99": %d, "p999": %d}}',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9))
  io.write("BENCH_JSON " .. out .. "\n")
end
