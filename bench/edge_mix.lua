-- The edge case's read mix for wrk: each request is a random line of a paths file.
--
--   wrk ... -s bench/edge_mix.lua http://127.0.0.1:PORT -- PATHS_FILE [count]
--
-- One path per line; a path written several times is picked as many times more often (the
-- harness writes each article detail once and the lists with their weights). With `count`,
-- every response is counted by status and by X-Cache (HIT, MISS, none), and done() prints
-- one line `EDGE_MIX {json}` with the totals of all threads. Without it no response() is
-- defined, so wrk does not copy every body into Lua: the cheaper load for throughput alone.

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot open the paths file " .. tostring(args[1]))
   requests = {}
   for line in file:lines() do
      if line ~= "" then
         -- Formatted once per thread: request() then only picks one.
         table.insert(requests, wrk.format("GET", line))
      end
   end
   file:close()
   assert(#requests > 0, "the paths file is empty")
   -- A seed per thread, so that the threads do not request the same sequence.
   math.randomseed(os.time() * 100 + id)
   counted = args[2] == "count"
   hits, misses, uncached, s2xx, s3xx, s4xx, s5xx, other = 0, 0, 0, 0, 0, 0, 0, 0
   if counted then
      response = function(status, headers, body)
         local cache = headers["X-Cache"]
         if cache == "HIT" then
            hits = hits + 1
         elseif cache == "MISS" then
            misses = misses + 1
         else
            uncached = uncached + 1
         end
         if status >= 500 then
            s5xx = s5xx + 1
         elseif status >= 400 then
            s4xx = s4xx + 1
         elseif status >= 300 then
            s3xx = s3xx + 1
         elseif status >= 200 then
            s2xx = s2xx + 1
         else
            other = other + 1
         end
      end
   end
end

function request()
   return requests[math.random(#requests)]
end

function done(summary, latency, requests)
   if not threads[1]:get("counted") then
      return
   end
   local names = { "hits", "misses", "uncached", "s2xx", "s3xx", "s4xx", "s5xx", "other" }
   local totals = {}
   for _, name in ipairs(names) do
      totals[name] = 0
      for _, thread in ipairs(threads) do
         totals[name] = totals[name] + thread:get(name)
      end
   end
   local fields = {}
   for _, name in ipairs(names) do
      table.insert(fields, string.format('"%s": %d', name, totals[name]))
   end
   io.write("EDGE_MIX {" .. table.concat(fields, ", ") .. "}\n")
end
