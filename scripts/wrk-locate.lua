math.randomseed(7)
request = function()
  local lon = 106.45 + math.random() * 0.20
  local lat = 29.50 + math.random() * 0.15
  return wrk.format("GET", "/query/locate?lon=" .. lon .. "&lat=" .. lat)
end
