-- POST /query/locate with one body of 10,000 random points (seeded), over and over: the batch
-- locate's throughput is requests/s x 10,000 points. Same area as wrk-locate.lua.
math.randomseed(7)
local pts = {}
for i = 1, 10000 do
  pts[i] = string.format("[%.6f,%.6f]", 106.45 + math.random() * 0.20, 29.50 + math.random() * 0.15)
end
wrk.method = "POST"
wrk.body = '{"points":[' .. table.concat(pts, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("WRK_TOKEN") -- the batch is for staff and analysts
if token then
  wrk.headers["Authorization"] = "Bearer " .. token
end
