-- wrk script: sends distinct signed Slack slash-command requests.
--
--   wrk -t1 -c50 -d10s --latency -s bench/signed_requests.lua URL -- REQUESTS_FILE [THREADS]
--
-- REQUESTS_FILE comes from bench/make_requests.py: one "TIMESTAMP SIGNATURE
-- BODY" line per request. hpops answers a repeated signature with 409, so each
-- request is sent at most once: every wrk thread takes its own contiguous slice
-- of the file, and a thread that runs out of requests stops (and says so)
-- rather than wrapping around.
--
-- done() prints machine-readable lines for bench/run.sh:
--   BENCH non2xx=N          responses whose status was not 2xx (must be 0)
--   BENCH exhausted=N       threads that ran out of requests (must be 0)
--   BENCH rps=R p50_ms=A p99_ms=B requests=N

local threads = {}     -- main state: one entry per thread, for done()
local requests = {}    -- thread state: this thread's pre-formatted requests
local next_index = 1
-- Globals, not locals: done() reads them from each thread with thread:get().
non2xx = 0
exhausted = 0

function setup(thread)
   -- Ids are handed out in creation order; init() uses it to pick a slice.
   thread:set("id", #threads)
   table.insert(threads, thread)
end

-- wrk passes the URL as args[0] and the words after "--" from args[1] on.
-- THREADS must equal wrk's -t: setup() runs just before each thread's init(),
-- so no init() can count the threads created after it.
function init(args)
   local file = args[1] or error("usage: ... -- REQUESTS_FILE [THREADS]")
   local count = tonumber(args[2] or "1")
   -- Two passes (count, then keep this thread's slice) so the raw lines are
   -- never all held at once next to the formatted requests.
   local total = 0
   for _ in io.lines(file) do total = total + 1 end
   local per_thread = math.floor(total / count)
   local first, last = id * per_thread + 1, (id + 1) * per_thread
   -- Formatting now, before the clock starts, keeps Lua string work out of the
   -- measured loop: request() only hands back a ready string.
   local i = 0
   for line in io.lines(file) do
      i = i + 1
      if i > last then break end
      if i >= first then
         local ts, sig, body = line:match("^(%S+) (%S+) (%S+)$")
         requests[#requests + 1] = wrk.format("POST", "/slack/commands", {
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["X-Slack-Request-Timestamp"] = ts,
            ["X-Slack-Signature"] = sig,
         }, body)
      end
   end
   collectgarbage()
end

function request()
   local r = requests[next_index]
   if r == nil then
      -- Out of distinct requests: sending one again would measure the replay
      -- guard's 409 path. Flag it and stop this thread.
      exhausted = 1
      wrk.thread:stop()
      -- stop() takes effect after this request goes out; make it one that
      -- cannot be mistaken for a signed command.
      return wrk.format("GET", "/healthz")
   end
   requests[next_index] = nil  -- sent once; the GC may reclaim it
   next_index = next_index + 1
   return r
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency)
   local bad, stopped = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
      stopped = stopped + (thread:get("exhausted") or 0)
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("BENCH non2xx=%d\n", bad))
   io.write(string.format("BENCH exhausted=%d\n", stopped))
   io.write(string.format("BENCH rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d socket_errors=%d\n",
      summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
