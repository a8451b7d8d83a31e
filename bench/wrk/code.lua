-- Authorization-code exchange (POST /token, grant_type=authorization_code
-- with PKCE): each request pops one code minted beforehand; codes are
-- single use, so a dry pool stops the thread (reported as exhausted).
--   BENCH_POOL      codes, one a line
--   BENCH_AUTH      the client's Authorization: Basic header
--   BENCH_REDIRECT  the redirect_uri the codes were issued for
--   BENCH_VERIFIER  the PKCE code_verifier of every code
--   BENCH_CAPTURE   optional: write "access_token<TAB>refresh_token" of
--                   every answer to BENCH_CAPTURE.<tid> (minting pools),
--                   and the status and start of the body of every other
--                   answer to BENCH_CAPTURE.<tid>.bad
local lib = dofile(os.getenv("BENCH_LUA") .. "/lib.lua")
counts = 0
local codes
local headers
local tail
local out

function setup(thread) lib.setup(thread) end

function init(args)
  codes = lib.queue(lib.lines(os.getenv("BENCH_POOL")))
  headers = { ["Authorization"] = os.getenv("BENCH_AUTH"),
              ["Content-Type"] = "application/x-www-form-urlencoded" }
  tail = "&redirect_uri=" .. lib.urlencode(os.getenv("BENCH_REDIRECT")) ..
    "&code_verifier=" .. os.getenv("BENCH_VERIFIER")
  local capture = os.getenv("BENCH_CAPTURE")
  if capture and capture ~= "" then
    out = assert(io.open(capture .. "." .. tid, "w"))
    local refused = assert(io.open(capture .. "." .. tid .. ".bad", "w"))
    counts = 1
    response = function(status, hdrs, body)
      if status == DRY then return end
      if status ~= 200 then
        bad = bad + 1
        refused:write(status, "\t", string.sub(body or "", 1, 200), "\n")
        refused:flush()
        return
      end
      local at = string.match(body, '"access_token":"([^"]+)"')
      local rt = string.match(body, '"refresh_token":"([^"]+)"')
      out:write(at, "\t", rt or "", "\n")
      out:flush()
    end
  else
    counts = 1
    response = function(status, hdrs, body)
      if status ~= 200 and status ~= DRY then bad = bad + 1 end
    end
  end
end

function request()
  local code = lib.pop(codes)
  if code == nil then return lib.dry() end
  return wrk.format("POST", "/token", headers,
    "grant_type=authorization_code&code=" .. code .. tail)
end

done = lib.done
