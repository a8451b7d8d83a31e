-- Refresh (POST /token, grant_type=refresh_token). Refresh tokens are
-- single use and rotate, like a relying party uses them: each request pops
-- the oldest token of this thread's pool and the rotated token from the
-- answer goes to the back, so a pool of a few thousand grants lasts.
--   BENCH_POOL  refresh tokens, one a line
--   BENCH_AUTH  the client's Authorization: Basic header
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 1
local pool
local headers

function setup(thread) lib.setup(thread) end

function init(args)
  pool = lib.queue(lib.lines(os.getenv("BENCH_POOL")))
  headers = { ["Authorization"] = os.getenv("BENCH_AUTH"),
              ["Content-Type"] = "application/x-www-form-urlencoded" }
end

function request()
  local rt = lib.pop(pool)
  if rt == nil then return lib.dry() end
  return wrk.format("POST", "/token", headers,
    "grant_type=refresh_token&refresh_token=" .. rt)
end

function response(status, hdrs, body)
  if status == DRY then return end
  if status ~= 200 then bad = bad + 1 return end
  local rt = string.match(body, '"refresh_token":"([^"]+)"')
  if rt then lib.push(pool, rt) else bad = bad + 1 end
end

done = lib.done
