-- One URL under wrk, where every answer must have one status (for a run of 304s, which wrk alone
-- counts as "Non-2xx or 3xx"):  wrk ... -s bench/wrk/expect.lua URL -- STATUS
-- Prints "Unexpected statuses: N" at the end; bench/run fails the run unless N is 0.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  unexpected = 0
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("unexpected")
  end
  io.write("Unexpected statuses: " .. n .. "\n")
end
