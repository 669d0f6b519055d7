-- wrk script: cycles through the tile paths in the file named by WRK_PATHS, asking for gzip
-- as MapLibre does. Each connection starts at a different offset so the load spreads.
local paths = {}
local n = 0
local i = 0

function init(args)
  local file = os.getenv("WRK_PATHS")
  for line in io.lines(file) do
    if #line > 0 then
      n = n + 1
      paths[n] = line
    end
  end
  i = math.random(n)
end

function request()
  i = i % n + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d, socket errors (connect/read/write/timeout): %d/%d/%d/%d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  for _, p in pairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%s: %.3f ms\n", p, latency:percentile(p) / 1000.0))
  end
end
