-- Requests carrying tokens from a pool, round robin (tokens are reusable):
--   BENCH_KIND=userinfo    GET /userinfo with Authorization: Bearer TOKEN
--   BENCH_KIND=introspect  POST /introspect token=TOKEN, authenticated as a
--                          resource server with BENCH_AUTH
--   BENCH_POOL  the token file, one a line
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 0
local reqs = {}
local n = 0

function setup(thread) lib.setup(thread) end

function init(args)
  local kind = os.getenv("BENCH_KIND")
  local auth = os.getenv("BENCH_AUTH")
  for _, tok in ipairs(lib.lines(os.getenv("BENCH_POOL"))) do
    if kind == "userinfo" then
      table.insert(reqs, wrk.format("GET", "/userinfo",
        { ["Authorization"] = "Bearer " .. tok }))
    else
      table.insert(reqs, wrk.format("POST", "/introspect",
        { ["Authorization"] = auth,
          ["Content-Type"] = "application/x-www-form-urlencoded" },
        "token=" .. lib.urlencode(tok) .. "&token_type_hint=access_token"))
    end
  end
  assert(#reqs > 0, "empty token pool")
  response = lib.strict()
  if response then counts = 1 end
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end

done = lib.done
