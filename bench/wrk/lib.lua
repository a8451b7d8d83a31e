-- Shared by the wrk scripts of bench/run.sh (loaded with dofile from
-- $BENCH_LUA/lib.lua in every Lua state wrk creates).
--
-- Each wrk thread gets an index (tid, from 0) in setup(); the thread count
-- comes from BENCH_NTHREADS (wrk calls init() of a thread right after its
-- setup(), before the next thread exists, so setup() cannot tell). Pools of
-- codes or tokens are files with one entry a line, and thread tid takes
-- lines tid+1, tid+1+nthreads, ...
--
-- done() prints one machine-readable line that bench/run.sh parses:
--   BENCHRESULT requests=N duration_us=N rps=X p50_us=N p99_us=N
--               non2xx=N sockerr=N exhausted=N
-- A script that sets a global `completed` (per thread) reports that count
-- as requests= and rps= instead of wrk's HTTP requests: sign-ins that take
-- two requests (bench/wrk/totp_login.lua).
-- non2xx counts, per script, the responses that were not the expected
-- success: scripts that define response() count exactly; the others rely
-- on wrk's own count of statuses >= 400 (bench/run.sh --smoke runs every
-- script with BENCH_STRICT=1, which makes them all count exactly).

local lib = {}
local threads = {}

-- Per-thread counters, read back in done() with thread:get().
bad = 0
exhausted = 0
tid = 0
nthreads = tonumber(os.getenv("BENCH_NTHREADS") or "1")

function lib.setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads - 1)
end

-- The lines of a pool file that belong to this thread.
function lib.lines(path)
  local out = {}
  local i = 0
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  for line in f:lines() do
    if line ~= "" then
      if i % nthreads == tid then table.insert(out, line) end
      i = i + 1
    end
  end
  f:close()
  return out
end

function lib.split(line)
  local out = {}
  for field in string.gmatch(line, "[^\t]+") do table.insert(out, field) end
  return out
end

-- Percent-encode a form value.
function lib.urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- A FIFO queue (explicit indices: `#` is unreliable once the front of a
-- table has been cleared).
function lib.queue(items)
  items = items or {}
  return { items = items, head = 1, tail = #items }
end
function lib.pop(q)
  if q.head > q.tail then return nil end
  local v = q.items[q.head]
  q.items[q.head] = nil
  q.head = q.head + 1
  return v
end
function lib.push(q, v)
  q.tail = q.tail + 1
  q.items[q.tail] = v
end

-- When a pool of single-use items runs dry the thread stops: a request
-- must still be returned, so it is a harmless one (a 404 that responses
-- ignore: no measured request ever answers 404), and the run is marked.
DRY = 404
function lib.dry()
  exhausted = 1
  wrk.thread:stop()
  return wrk.format("GET", "/bench-pool-dry")
end

-- BENCH_STRICT=1: count every status that is not `want` (default: 2xx).
function lib.strict(want)
  if os.getenv("BENCH_STRICT") ~= "1" then return nil end
  return function(status, headers, body)
    if status == DRY then return end
    if want then
      if status ~= want then bad = bad + 1 end
    elseif status < 200 or status > 299 then
      bad = bad + 1
    end
  end
end

function lib.done(summary, latency, requests)
  local nbad, dry, counted = 0, 0, false
  local n, own = 0, false
  for _, t in ipairs(threads) do
    local c = t:get("completed")
    if c ~= nil then
      own = true
      n = n + c
    end
    local b = t:get("bad")
    if b ~= nil and t:get("counts") == 1 then
      counted = true
      nbad = nbad + b
    end
    dry = dry + (t:get("exhausted") or 0)
  end
  if not counted then nbad = summary.errors.status end
  if not own then n = summary.requests end
  local e = summary.errors
  local dur = summary.duration
  io.write(string.format("BENCHRESULT requests=%d duration_us=%d rps=%.1f " ..
    "p50_us=%d p99_us=%d non2xx=%d sockerr=%d exhausted=%d\n",
    n, dur, n / (dur / 1e6),
    latency:percentile(50.0), latency:percentile(99.0), nbad,
    e.connect + e.read + e.write + e.timeout, dry))
end

return lib
