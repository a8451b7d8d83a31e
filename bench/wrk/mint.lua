-- Mints authorization codes through the real front channel: GET /authorize
-- with the SSO session cookie of a signed-in person answers 302 (or 303)
-- to the client with a code, no password asked. Not a measured workload.
--   BENCH_POOL   session cookie values, one a line (rotated)
--   BENCH_COOKIE the session cookie's name; empty: each line of the pool
--                is a whole Cookie header (the peer's signed cookies)
--   BENCH_PATH   the /authorize?... path and query
--   BENCH_OUT    codes go to BENCH_OUT.<tid>, one a line
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 1
local reqs = {}
local n = 0
local out

function setup(thread) lib.setup(thread) end

function init(args)
  local path = os.getenv("BENCH_PATH")
  local name = os.getenv("BENCH_COOKIE")
  for _, s in ipairs(lib.lines(os.getenv("BENCH_POOL"))) do
    local cookie = s
    if name ~= nil and name ~= "" then cookie = name .. "=" .. s end
    table.insert(reqs, wrk.format("GET", path, { ["Cookie"] = cookie }))
  end
  assert(#reqs > 0, "no sessions for this thread")
  out = assert(io.open(os.getenv("BENCH_OUT") .. "." .. tid, "w"))
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end

function response(status, headers, body)
  local loc = headers["Location"] or headers["location"]
  local code = loc and string.match(loc, "[?&]code=([^&]+)")
  if (status ~= 302 and status ~= 303) or code == nil then bad = bad + 1 return end
  out:write(code, "\n")
end

function done(summary, latency, requests)
  lib.done(summary, latency, requests)
end
