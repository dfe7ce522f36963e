-- wrk script: POSTs Alertmanager webhook payloads of 100 new alerts each to
-- /alerts/alertmanager, every alert with its own fingerprint.
--
--   wrk -t1 -c8 -d10s -s bench/alerts_payloads.lua URL -- TOKEN RUN_ID
--
-- done() prints, for bench/alerts_load.sh:
--   BENCH ok=N unavailable=N other=N    payloads answered 200, 503, anything else
--   BENCH p50_ms=A p99_ms=B

local threads = {}
ok, unavailable, other = 0, 0, 0   -- globals: done() reads them per thread
local counter = 0
local token, run

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   token = args[1] or error("usage: ... -- TOKEN RUN_ID")
   run = (args[2] or "r") .. "-t" .. id
end

local severities = {"critical", "warning", "info", "warning"}
local groups = {"gpu-ng-1", "gpu-ng-2", "cpu-ng", "gpu-ng-3", "system"}

function request()
   counter = counter + 1
   local alerts = {}
   for j = 1, 100 do
      local n = counter * 100 + j
      alerts[j] = string.format(
         '{"status":"firing","labels":{"alertname":"GPUXidErrors","severity":"%s","nodegroup":"%s",' ..
         '"instance":"ip-10-0-%d-7","cluster":"hpops-demo"},"annotations":{"summary":"Xid 79 on GPU %d",' ..
         '"runbook_url":"https://runbooks.example/xid"},"startsAt":"2026-11-23T10:00:00.000Z",' ..
         '"endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example/graph?g0.expr=xid",' ..
         '"fingerprint":"%s-%d"}',
         severities[n % 4 + 1], groups[n % 5 + 1], n % 250, n % 8, run, n)
   end
   local body = '{"version":"4","groupKey":"{}:{alertname=\\"GPUXidErrors\\"}","status":"firing",' ..
      '"receiver":"hpops","groupLabels":{"alertname":"GPUXidErrors"},"commonLabels":{},"commonAnnotations":{},' ..
      '"externalURL":"http://alertmanager.example","truncatedAlerts":0,"alerts":[' .. table.concat(alerts, ",") .. ']}'
   return wrk.format("POST", "/alerts/alertmanager",
                     {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
   if status == 200 then ok = ok + 1
   elseif status == 503 then unavailable = unavailable + 1
   else other = other + 1 end
end

function done(summary, latency, requests)
   local o, u, x = 0, 0, 0
   for _, t in ipairs(threads) do
      o = o + t:get("ok"); u = u + t:get("unavailable"); x = x + t:get("other")
   end
   io.write(string.format("BENCH ok=%d unavailable=%d other=%d\n", o, u, x))
   io.write(string.format("BENCH p50_ms=%.2f p99_ms=%.2f\n", latency:percentile(50) / 1000,
                          latency:percentile(99) / 1000))
end
