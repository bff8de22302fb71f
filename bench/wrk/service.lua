-- One endpoint of the service under wrk, at a random runner of an id range per request:
--   wrk -t2 -c16 -d10s -H 'Authorization: Bearer KEY' -s bench/wrk/service.lua http://127.0.0.1:PORT \
--       -- METHOD PATH_TEMPLATE ID_MIN ID_MAX [BODY]
-- PATH_TEMPLATE may hold {id} (a random id in ID_MIN..ID_MAX) and {key} (unique per request:
-- a random tag per thread and run, then a counter), as the ceiling's wrk scripts do.
local method, template, low, high, body, tag, n

function init(args)
  method, template, low, high, body = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5]
  if body then
    wrk.headers["Content-Type"] = "application/json"
  end
  local f = io.open("/dev/urandom", "rb"); local b = f:read(6); f:close()
  tag = b:gsub(".", function(c) return string.format("%02x", c:byte()) end)
  math.randomseed(((b:byte(1) * 256 + b:byte(2)) * 256 + b:byte(3)) * 256 + b:byte(4))
  n = 0
end

request = function()
  n = n + 1
  local path = template:gsub("{id}", tostring(math.random(low, high)))
  path = path:gsub("{key}", "wrk-" .. tag .. "-" .. n)
  return wrk.format(method, path, nil, body)
end
