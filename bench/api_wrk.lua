-- wrk script for `tutti serve`'s AWS JSON API (bench/bench_api.sh,
-- tests/e2e/api_load.sh). Environment:
--   TUTTI_WRK_MODE    start  StartExecution of $TUTTI_WRK_SM, unique names
--                     pair   StartExecution, then DescribeExecution of it
--                     invoke Lambda's Invoke (POST /2015-03-31/functions/FN/invocations,
--                            RequestResponse) of $TUTTI_WRK_FN
--   TUTTI_WRK_QUOTA   requests per thread, then the thread stops (0: until -d)
--   TUTTI_WRK_PREFIX  execution names' prefix (unique per run)
-- done() prints "api_wrk: requests N ok N bad N starts N errors N p50_us N
-- p99_us N seconds S" (starts: StartExecutions answered 200; bad: any
-- non-200 answer; wrk's own "Non-2xx" and socket errors are checked too).
local mode = os.getenv("TUTTI_WRK_MODE") or "start"
local sm = os.getenv("TUTTI_WRK_SM") or ""
local fn = os.getenv("TUTTI_WRK_FN") or "noop"
local quota = tonumber(os.getenv("TUTTI_WRK_QUOTA") or "0")
local prefix = os.getenv("TUTTI_WRK_PREFIX") or "w"

-- Globals: each thread's own (setup() gives it its tid; done() reads ok/bad).
local threads = {}
local nthreads = 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

tid, n, ok, bad, starts = 0, 0, 0, 0, 0
-- pair: executions whose StartExecution was answered, to describe next
-- (another connection of this thread may not have its answer yet).
started, head, tail = {}, 1, 0
local hdr_sfn = { ["Content-Type"] = "application/x-amz-json-1.0",
                  ["X-Amz-Target"] = "AWSStepFunctions.StartExecution" }
local hdr_desc = { ["Content-Type"] = "application/x-amz-json-1.0",
                   ["X-Amz-Target"] = "AWSStepFunctions.DescribeExecution" }
local hdr_lam = { ["Content-Type"] = "application/json" }

function request()
  n = n + 1
  if mode == "invoke" then
    return wrk.format("POST", "/2015-03-31/functions/" .. fn .. "/invocations", hdr_lam, '{"i":' .. n .. '}')
  end
  if mode == "pair" and head <= tail then
    local arn = started[head]
    started[head] = nil
    head = head + 1
    return wrk.format("POST", "/", hdr_desc, '{"executionArn":"' .. arn .. '"}')
  end
  return wrk.format("POST", "/", hdr_sfn, '{"stateMachineArn":"' .. sm .. '","name":"' .. prefix .. "-" .. tid ..
    "-" .. n .. '","input":"{}"}')
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if mode ~= "invoke" and not body:find('"status"', 1, true) then starts = starts + 1 end
    if mode == "pair" then
      local arn = body:match('"executionArn":"([^"]+)"')
      if arn and not body:find('"status"', 1, true) then
        tail = tail + 1
        started[tail] = arn
      end
    end
  else
    bad = bad + 1
    if bad <= 3 then io.stderr:write("api_wrk: " .. status .. " " .. body .. "\n") end
  end
  if quota > 0 and ok + bad >= quota then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local tok, tbad, tstarts = 0, 0, 0
  for _, t in ipairs(threads) do
    tok = tok + (t:get("ok") or 0)
    tbad = tbad + (t:get("bad") or 0)
    tstarts = tstarts + (t:get("starts") or 0)
  end
  io.write(string.format("api_wrk: requests %d ok %d bad %d starts %d errors %d p50_us %d p99_us %d seconds %.3f\n",
    summary.requests, tok, tbad, tstarts,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration / 1e6))
end
