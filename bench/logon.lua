-- wrk script for bench/password-logon.ts: each connection logs on again and again through the four requests of a
-- password logon (the logon page, the name, the password, "Skip for Now" on the optional MFA prompt). Run with as many
-- threads as connections: wrk's request/response callbacks belong to a thread, so one connection per thread keeps one
-- logon's state. Paths, users and the password come from the environment (BENCH_LOGON_*).
-- wrk hands a response's headers over as a table, the last of repeated names winning; each step here needs at most
-- one cookie (the CSRF cookie from the page, the flow cookie from the name and password steps).

local env = os.getenv
local paths = {
  page = env("BENCH_LOGON_PAGE"),
  identify = env("BENCH_LOGON_IDENTIFY"),
  password = env("BENCH_LOGON_PASSWORD"),
  skip = env("BENCH_LOGON_SKIP"),
}
local mfa_prompt = env("BENCH_LOGON_MFA_BIND")
local secret = env("BENCH_LOGON_SECRET")
local users = {}
for name in string.gmatch(env("BENCH_LOGON_USERS"), "[^,]+") do users[#users + 1] = name end

local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- ok and failed are globals: done() reads them from each thread.
local jar, csrf, step, user
function init(args)
  jar, csrf, step, ok, failed = {}, nil, "page", 0, 0
  user = id % #users
end

local function cookie_header()
  local parts = {}
  for name, value in pairs(jar) do parts[#parts + 1] = name .. "=" .. value end
  return table.concat(parts, "; ")
end

local function urlencode(text)
  return (string.gsub(text, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function post(path, form)
  local body = "_csrf=" .. urlencode(csrf)
  for name, value in pairs(form) do body = body .. "&" .. name .. "=" .. urlencode(value) end
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie_header() }, body)
end

function request()
  if step == "page" then return wrk.format("GET", paths.page, { ["Cookie"] = cookie_header() }) end
  if step == "identify" then return post(paths.identify, { username = users[user + 1] }) end
  if step == "password" then return post(paths.password, { password = secret }) end
  return post(paths.skip, {})
end

local function keep(headers)
  local line = headers["set-cookie"]
  if not line then return end
  local name, value = string.match(line, "^([^=]+)=([^;]*)")
  if name then jar[name] = value end
end

local function restart(success)
  if success then ok = ok + 1 else failed = failed + 1 end
  jar = {} -- every logon comes from a new browser, as in the JavaScript client
  step = "page"
  user = (user + #threads) % #users
end

function response(status, headers, body)
  keep(headers)
  if step == "page" then
    csrf = string.match(body, 'name="_csrf" value="([^"]+)"')
    step = "identify"
  elseif step == "identify" then
    step = "password"
  elseif step == "password" then
    if headers["location"] == mfa_prompt then step = "skip" else restart(false) end
  else
    restart(status == 303 and headers["location"] == "/console")
  end
end

function done(summary, latency, requests)
  local total_ok, total_failed = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_failed = total_failed + thread:get("failed")
  end
  io.write(string.format("LOGONS %d %d %d\n", total_ok, total_failed, summary.duration))
end
