-- One fixed request, repeated: discovery, JWKS (GET of the URL given to
-- wrk) and client_credentials (POST /token with client_secret_basic).
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    a form body for POST
--   BENCH_AUTH    an Authorization header value
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 0

function setup(thread) lib.setup(thread) end

function init(args)
  local m = os.getenv("BENCH_METHOD")
  if m and m ~= "" then wrk.method = m end
  local b = os.getenv("BENCH_BODY")
  if b and b ~= "" then
    wrk.body = b
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  local a = os.getenv("BENCH_AUTH")
  if a and a ~= "" then wrk.headers["Authorization"] = a end
  response = lib.strict()
  if response then counts = 1 end
end

done = lib.done
