-- wrk script for the service-request figures of bench/run.sh. Mode by environment:
--   MODE=tpost    POST /api/v1/tickets {channel: phone, type: repair, customer_id
--                 random in 1..CUST_MAX, caller, phone, a realistic description}: a
--                 call taken now. With SPREAD_DAYS=D (> 0) each request also sends a
--                 received_at in the last D days: letters registered late, most of
--                 them past their SLA at intake (escalations and their notifications
--                 are written in the same request).
--   MODE=tqueue   GET /api/v1/tickets?queue=QUEUE&limit=50 (QUEUE default at_risk)
--   MODE=tsearch  GET /api/v1/tickets?q=TERM, TERM drawn at random from TERMS
--                 (comma-separated, UTF-8; percent-encoded here)
-- TOKEN is the bearer token. done() prints the same WRK line as shouhou.lua:
--   WRK mode=… requests=… seconds=… rps=… p50_us=… p90_us=… p99_us=… max_us=… non2xx=… errors=…
local mode = os.getenv("MODE") or "tqueue"
local token = os.getenv("TOKEN") or ""
local cust_max = tonumber(os.getenv("CUST_MAX") or "1")
local queue = os.getenv("QUEUE") or "at_risk"
local spread_s = math.floor(tonumber(os.getenv("SPREAD_DAYS") or "0") * 86400)

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local counter = 0
local paths = {}
local headers = { ["Authorization"] = "Bearer " .. token }
local post_headers = { ["Authorization"] = "Bearer " .. token,
                       ["Content-Type"] = "application/json" }

local function urlencode(s)
   return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local callers = { "王建国", "李娜", "张伟", "刘师傅", "陈经理", "杨工", "赵主任", "黄海燕" }
local models = { "注塑机", "数控机床", "激光切割机", "空压机", "打印机", "冷水机组", "包装机", "变频器" }
local faults = { "无法开机", "屏幕花屏", "漏水", "打印头堵塞", "主板故障", "运行时异响",
                 "频繁跳闸", "伺服报警", "通讯中断", "精度偏差" }
local details = { "已断电重启无效，影响生产，客户要求尽快上门。", "重启后仍然存在，请安排工程师。",
                  "产线停工，希望今天派人。", "已发现场照片，设备在保修期内。" }

function init(args)
   math.randomseed(os.time() * 1000 + (tid or 0))
   if mode == "tqueue" then
      paths[1] = wrk.format("GET", "/api/v1/tickets?queue=" .. queue .. "&limit=50", headers)
   elseif mode == "tsearch" then
      local terms = {}
      for t in string.gmatch(os.getenv("TERMS") or "", "[^,]+") do terms[#terms + 1] = t end
      for i = 1, 4096 do
         paths[i] = wrk.format("GET", "/api/v1/tickets?q=" .. urlencode(terms[math.random(1, #terms)]), headers)
      end
   end
end

function request()
   counter = counter + 1
   if mode == "tpost" then
      local received = ""
      if spread_s > 0 then
         received = string.format('"received_at":"%s",',
            os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - math.random(60, spread_s)))
      end
      local body = string.format(
         '{"channel":"phone","type":"repair","customer_id":%d,"caller_name":"%s",' ..
         '"caller_phone":"139%08d",%s"description":"客户来电反映%s%s，%s"}',
         math.random(1, cust_max), callers[math.random(1, #callers)], math.random(0, 99999999),
         received, models[math.random(1, #models)], faults[math.random(1, #faults)],
         details[math.random(1, #details)])
      return wrk.format("POST", "/api/v1/tickets", post_headers, body)
   end
   if mode == "tqueue" then return paths[1] end
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
