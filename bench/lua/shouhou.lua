-- wrk script for bench/run.sh. One script, the mode chosen by environment:
--   MODE=healthz   GET /healthz
--   MODE=post      POST /api/v1/units with a unique serial number per request
--                  (RUN_TAG + thread + counter), random model 1..MODEL_MAX and
--                  customer 1..CUST_MAX
--   MODE=get       GET /api/v1/units/{id}, id random in 1..ID_MAX
--   MODE=search    GET /api/v1/units?q=TERM, TERM drawn at random from TERMS
--                  (comma-separated, UTF-8; percent-encoded here)
-- TOKEN is the bearer token. Keep-alive is wrk's default (HTTP/1.1).
-- done() prints one machine-readable line:
--   WRK mode=… requests=… seconds=… rps=… p50_us=… p90_us=… p99_us=… max_us=… non2xx=… errors=…
local mode = os.getenv("MODE") or "healthz"
local token = os.getenv("TOKEN") or ""
local tag = os.getenv("RUN_TAG") or tostring(os.time())
local id_max = tonumber(os.getenv("ID_MAX") or "1")
local model_max = tonumber(os.getenv("MODEL_MAX") or "1")
local cust_max = tonumber(os.getenv("CUST_MAX") or "1")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local counter = 0
local fixed = nil
local paths = {}
local headers = { ["Authorization"] = "Bearer " .. token }
local post_headers = { ["Authorization"] = "Bearer " .. token,
                       ["Content-Type"] = "application/json" }

local function urlencode(s)
   return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
   math.randomseed(os.time() * 1000 + (tid or 0))
   if mode == "healthz" then
      fixed = wrk.format("GET", "/healthz")
   elseif mode == "get" then
      -- 4096 prebuilt requests, cycled: keeps wrk's own CPU cost per request small
      for i = 1, 4096 do
         paths[i] = wrk.format("GET", "/api/v1/units/" .. math.random(1, id_max), headers)
      end
   elseif mode == "search" then
      local terms = {}
      for t in string.gmatch(os.getenv("TERMS") or "", "[^,]+") do terms[#terms + 1] = t end
      for i = 1, 4096 do
         paths[i] = wrk.format("GET", "/api/v1/units?q=" .. urlencode(terms[math.random(1, #terms)]), headers)
      end
   end
end

function request()
   counter = counter + 1
   if fixed then return fixed end
   if mode == "post" then
      local body = string.format('{"serial_no":"BN%s-%d-%d","model_id":%d,"customer_id":%d}',
                                 tag, tid or 0, counter, math.random(1, model_max), math.random(1, cust_max))
      return wrk.format("POST", "/api/v1/units", post_headers, body)
   end
   return paths[(counter % 4096) + 1]
end

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format("WRK mode=%s requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d errors=%d\n",
      mode, summary.requests, secs, summary.requests / secs,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect + e.read + e.write + e.timeout))
end
