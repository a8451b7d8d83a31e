-- GET /admin/people with the queries of BENCH_QUERIES (one a line, the
-- query string), in turn, with the signed-in admin's cookie (BENCH_COOKIE).
-- done() prints: PEOPLE requests=N rps=X p50_ms=X p99_ms=X
-- non2xx_or_errors=N (statuses >= 400 and socket errors, as wrk counts).
local queries, n = {}, 0
for line in io.lines(os.getenv("BENCH_QUERIES")) do
	queries[#queries + 1] = line
end
local cookie = os.getenv("BENCH_COOKIE")

function request()
	n = n + 1
	return wrk.format("GET", "/admin/people?" .. queries[(n % #queries) + 1],
		{ ["Cookie"] = cookie })
end

function done(summary, latency)
	io.write(string.format("PEOPLE requests=%d rps=%.0f p50_ms=%.2f " ..
		"p99_ms=%.2f non2xx_or_errors=%d\n", summary.requests,
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status + summary.errors.connect +
		summary.errors.read + summary.errors.timeout))
end
