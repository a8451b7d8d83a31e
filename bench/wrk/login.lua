-- Full password logins: POST /login with a pending login fetched
-- beforehand by GET /authorize (bench/prep.mjs), its browser cookie and
-- CSRF token, and the person's username and password. Success is the 302
-- back to the client with a code; each pending login is consumed, so a dry
-- pool stops the thread (reported as exhausted).
--   BENCH_POOL  lines "browser_cookie<TAB>login<TAB>csrf<TAB>user<TAB>password"
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 1
local pool

function setup(thread) lib.setup(thread) end

function init(args)
  local items = {}
  for _, line in ipairs(lib.lines(os.getenv("BENCH_POOL"))) do
    local f = lib.split(line)
    table.insert(items, wrk.format("POST", "/login",
      { ["Cookie"] = "idp_browser=" .. f[1],
        ["Content-Type"] = "application/x-www-form-urlencoded" },
      "login=" .. lib.urlencode(f[2]) .. "&csrf_token=" .. lib.urlencode(f[3]) ..
      "&username=" .. lib.urlencode(f[4]) .. "&password=" .. lib.urlencode(f[5])))
  end
  pool = lib.queue(items)
end

function request()
  return lib.pop(pool) or lib.dry()
end

function response(status, headers, body)
  if status == DRY then return end
  if status ~= 302 then bad = bad + 1 end
end

done = lib.done
