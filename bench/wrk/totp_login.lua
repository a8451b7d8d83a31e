-- Password + TOTP sign-ins: POST /login with a pending login fetched
-- beforehand (bench/prep.mjs logins, for people with an authenticator
-- app), which answers 200 with the second step; then POST /login/factor
-- with the code of the current time step, taken from the codes prep
-- computed for a span of steps. Success is the 302 back to the client.
-- Each person signs in once per run: a code is accepted once per person
-- and step (replay refused), so the pool holds one line per sign-in.
--
-- A connection of a thread may carry either step of any sign-in, so the
-- second step is queued when the first one's answer names its pending
-- login (the form's hidden "login" input); second steps go first.
--
-- The result counts sign-ins, not HTTP requests: requests= and rps= of
-- BENCHRESULT are completed sign-ins (302s of the second step); p50/p99
-- are of single requests, both steps together.
--   BENCH_POOL  lines "browser_cookie<TAB>login<TAB>csrf<TAB>user<TAB>
--               password<TAB>first_step<TAB>code<TAB>code..."
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
local unpack = table.unpack or unpack	-- LuaJIT has the Lua 5.1 name
counts = 1
completed = 0
local pool, ready, second = nil, nil, {}

function setup(thread) lib.setup(thread) end

local function form_request(path, cookie, body)
  return wrk.format("POST", path,
    { ["Cookie"] = "idp_browser=" .. cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function init(args)
  local items = {}
  for _, line in ipairs(lib.lines(os.getenv("BENCH_POOL"))) do
    local f = lib.split(line)
    local login = lib.urlencode(f[2])
    local csrf = lib.urlencode(f[3])
    table.insert(items, form_request("/login", f[1], "login=" .. login ..
      "&csrf_token=" .. csrf .. "&username=" .. lib.urlencode(f[4]) ..
      "&password=" .. lib.urlencode(f[5])))
    -- The second step, minus its code (chosen when it is sent).
    second[f[2]] = { cookie = f[1], first = tonumber(f[6]),
      codes = { unpack(f, 7) },
      body = "login=" .. login .. "&csrf_token=" .. csrf .. "&action=totp&code=" }
  end
  pool = lib.queue(items)
  ready = lib.queue()
end

function request()
  local s = lib.pop(ready)
  if s ~= nil then
    local code = s.codes[math.floor(os.time() / 30) - s.first + 1]
    return form_request("/login/factor", s.cookie, s.body .. (code or "000000"))
  end
  return lib.pop(pool) or lib.dry()
end

function response(status, headers, body)
  if status == DRY then return end
  if status == 302 then
    completed = completed + 1
    return
  end
  local login = status == 200 and
    string.match(body, 'name="login" value="([^"]+)"') or nil
  if login ~= nil and second[login] ~= nil then
    lib.push(ready, second[login])
    second[login] = nil
  else
    bad = bad + 1
  end
end

done = lib.done
