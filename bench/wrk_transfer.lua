-- wrk script for the ledger benchmark: POST /t/<tenant>/transfers, one new transfer per request.
--
--   BENCH_TOKEN=<jwt> wrk -t2 -c4 -d20s --latency -s bench/wrk_transfer.lua http://127.0.0.1:PORT \
--       -- <tenant> <run_id> <uniform|hot> <payers_file> <payees_file> [rate_per_s]
--
-- payers_file: the tenant's account ids, one a line (an animator may only debit its own
-- tenant's members); payees_file: every account id of the network. "uniform": random payer,
-- random payee (never the payer). "hot": the first payer of the file is in every transfer, as
-- payer or payee (50/50). Each request has a unique Idempotency-Key (<run_id>-<thread>-<n>) and
-- the reference <run_id>, so the driver can count the run's rows in the database.
-- rate_per_s > 0 paces the requests (wrk2-style fixed schedule per thread, see delay()).
-- done() prints one line "BENCH_JSON {...}" with the counts, errors and latency percentiles.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local function read_lines(path)
  local items = {}
  for line in io.lines(path) do
    if line ~= "" then items[#items + 1] = line end
  end
  assert(#items > 1, "no account ids in " .. path)
  return items
end

-- Runs in the main Lua state: give each thread its number and count them.
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local path, run_id, mode, payers, payees, hot
local headers = {}
local counter = 0
local interval_ms = 0
local next_slot = nil

function init(args)
  local tenant = args[1]
  run_id, mode = args[2], args[3]
  payers, payees = read_lines(args[4]), read_lines(args[5])
  hot = payers[1]
  local rate = tonumber(args[6] or "0") or 0
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  if rate > 0 then interval_ms = 1000 * threads / rate end
  path = "/t/" .. tenant .. "/transfers"
  headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN unset")
  headers["Content-Type"] = "application/json"
  headers["Host"] = wrk.host .. ":" .. wrk.port
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

local function other_than(list, avoid)
  local pick = list[math.random(#list)]
  while pick == avoid do pick = list[math.random(#list)] end
  return pick
end

function request()
  counter = counter + 1
  local payer, payee
  if mode == "hot" then
    if math.random() < 0.5 then
      payer, payee = hot, other_than(payees, hot)
    else
      payer, payee = other_than(payers, hot), hot
    end
  else
    payer = payers[math.random(#payers)]
    payee = other_than(payees, payer)
  end
  headers["Idempotency-Key"] = run_id .. "-" .. (thread_id or 0) .. "-" .. counter
  local body = '{"payer":"' .. payer .. '","payee":"' .. payee ..
               '","amount":"0.' .. string.format("%02d", math.random(1, 99)) ..
               '","reference":"' .. run_id .. '"}'
  return wrk.format("POST", path, headers, body)
end

-- Pacing: the thread's requests follow a fixed schedule (one slot every interval_ms); a
-- connection waits for the next free slot, or goes at once when the schedule is behind.
-- wrk starts its latency clock when it writes the request, after this wait.
function delay()
  if interval_ms <= 0 then return 0 end
  local now = now_ms()
  if next_slot == nil then next_slot = now end
  local slot = next_slot
  next_slot = next_slot + interval_ms
  if slot <= now then return 0 end
  return math.floor(slot - now + 0.5)
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
