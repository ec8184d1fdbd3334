#!/usr/bin/env bash
# make bench: the benchmarks that matter, run once, and the ratios read
# from them (each ratio's two sides measured in the same run):
#   validators  refusals and acceptances, ours beside kin-openapi
#   mock        a mixed load over every family beside a bare handler
#   client      one call through our client beside the official SDKs
#   suite       planning, and a whole run against the embedded mock
#   any product the largest training product through import, lint,
#               generation, planning and compilation
# BENCH_OUT keeps the raw output (default: a temporary folder).
set -euo pipefail
GO=${GO:-go}
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
raw="$out/bench.txt"
: > "$raw"

bench() { "$GO" test -run '^$' -benchmem "$@" | tee -a "$raw"; }
bench -bench '^BenchmarkValidateAll$' ./gen/resourcedirectorymaster
# The load ratios move with whatever else the machine runs: the bare handler
# and the mixed load are measured in alternation, five pairs, each pair a
# ratio; the median pair is reported beside the spread.
"$GO" test -c -o "$out/mock.test" ./mock
for pair in 1 2 3 4 5; do
	for target in bare mock-mixed; do
		(cd mock && "$out/mock.test" -test.run '^$' -test.benchmem -test.benchtime 3s \
			-test.bench "^BenchmarkLoad\$/^$target\$/^clients=16\$") | tee -a "$raw" |
			awk -v pair="$pair" '/^Benchmark/ { print "Pair" pair " " $0 }' >> "$out/pairs.txt"
	done
done
cat "$out/pairs.txt" >> "$raw"
bench -bench '^BenchmarkLoad$/^multi-mixed$/^clients=16$' -benchtime 3s ./mock
bench -bench '^BenchmarkClientCall$' -benchtime 2s ./interop
bench -bench '^BenchmarkPlan$' ./conformance/plan
# The largest training product (286 APIs), when the catalogue sits beside
# the clone: import, load, lint, generate, plan and compile.
bench -bench '^BenchmarkLargestProduct$' -benchtime 3x ./cli
for product in resourcedirectorymaster resourcemanager sts; do
	"$GO" run ./cmd/acsconform test --contract "$product" --report-dir "$out/$product" > "$out/$product.txt" || true
	seconds=$(awk -F': ' '/^  "seconds":/ { gsub(/[ ,]/, "", $2); print $2; exit }' "$out/$product/coverage.json")
	requests=$(awk -F': ' '/^  "requests":/ { gsub(/[ ,]/, "", $2); print $2; exit }' "$out/$product/coverage.json")
	echo "Suite/$product $seconds s $requests requests" >> "$raw"
done

awk '
# Benchmark lines: name, iterations, then value-unit pairs.
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i += 2) v[name, $(i + 1)] = $i
}
/^Suite\// { v[$1, "s"] = $2; v[$1, "requests"] = $4 }
/^Pair[0-9]/ {
	for (i = 4; i < NF; i += 2) if ($(i + 1) == "req/s") rps = $i
	if ($2 ~ /\/bare\//) bare[$1] = rps; else mixed[$1] = rps
}
function ratio(a, b) { return b > 0 ? sprintf(a / b < 10 ? "%.2fx" : "%.1fx", a / b) : "n/a" }
END {
	g = "BenchmarkValidateAll/"
	print ""
	print "== acsconform bench: ratios measured in this run"
	for (k = 1; k <= 2; k++) {
		kind = k == 1 ? "invalid" : "valid"
		printf "validators, %-7s  generated %7.1f ns/request %4.0f allocs/sweep | kin-openapi schema %7.1f ns (%s slower) | openapi3filter %7.1f ns (%s slower)\n",
			kind, v[g kind "/generated", "ns/request"], v[g kind "/generated", "allocs/op"],
			v[g kind "/kin-schema", "ns/request"], ratio(v[g kind "/kin-schema", "ns/request"], v[g kind "/generated", "ns/request"]),
			v[g kind "/kin-filter", "ns/request"], ratio(v[g kind "/kin-filter", "ns/request"], v[g kind "/generated", "ns/request"])
	}
	m = "BenchmarkLoad/"
	n = 0
	for (p in bare) if (p in mixed && bare[p] > 0) ratios[++n] = mixed[p] / bare[p]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ratios[j] < ratios[i]) { t = ratios[i]; ratios[i] = ratios[j]; ratios[j] = t }
	if (n > 0) printf "mock, 16 clients     mixed load / bare handler, %d pairs run in alternation: median %.2fx (from %.2fx to %.2fx)\n", n, ratios[int((n + 1) / 2)], ratios[1], ratios[n]
	printf "mock, 16 clients     mixed load %.0f req/s (p99 %s ms) = %s of the bare handler %.0f req/s (p99 %s ms)\n",
		v[m "mock-mixed/clients=16", "req/s"], v[m "mock-mixed/clients=16", "p99-ms"],
		ratio(v[m "mock-mixed/clients=16", "req/s"], v[m "bare/clients=16", "req/s"]),
		v[m "bare/clients=16", "req/s"], v[m "bare/clients=16", "p99-ms"]
	printf "mock, 16 clients     every product on one address, both directory versions and Sts mixed: %.0f req/s (p99 %s ms) = %s of the bare handler; heap in use %.0f MB (one product: %.0f MB)\n",
		v[m "multi-mixed/clients=16", "req/s"], v[m "multi-mixed/clients=16", "p99-ms"],
		ratio(v[m "multi-mixed/clients=16", "req/s"], v[m "bare/clients=16", "req/s"]),
		v[m "multi-mixed/clients=16", "heap-MB"], v[m "mock-mixed/clients=16", "heap-MB"]
	c = "BenchmarkClientCall/"
	split("acsconform-v3 acsconform-v1 alibaba-cloud-sdk-go-v1 darabonba-openapi-v3", clients, " ")
	for (i = 1; i <= 4; i++)
		printf "client call          %-24s %9.0f ns/op %4d allocs/op (%s of ours, v3)\n", clients[i],
			v[c clients[i], "ns/op"], v[c clients[i], "allocs/op"], ratio(v[c clients[i], "ns/op"], v[c "acsconform-v3", "ns/op"])
	split("resourcedirectorymaster resourcemanager sts", products, " ")
	for (i = 1; i <= 3; i++) {
		p = products[i]
		printf "suite, %-24s plan %6.1f ms (%d cases) | run against the embedded mock %s s, %d requests, %.0f requests/s\n", p,
			v["BenchmarkPlan/" p, "ns/op"] / 1e6, v["BenchmarkPlan/" p, "cases"],
			v["Suite/" p, "s"], v["Suite/" p, "requests"], (v["Suite/" p, "s"] > 0 ? v["Suite/" p, "requests"] / v["Suite/" p, "s"] : 0)
	}
	l = "BenchmarkLargestProduct/"
	if ((l "import", "ns/op") in v)
		printf "largest product      %d APIs: import %.2f s | load %.2f s | lint %.0f ms | generate %.2f s | plan %.0f ms (%d cases) | compile the package %.1f s\n",
			v[l "import", "apis"], v[l "import", "ns/op"] / 1e9, v[l "load", "ns/op"] / 1e9, v[l "lint", "ns/op"] / 1e6,
			v[l "generate", "ns/op"] / 1e9, v[l "plan", "ns/op"] / 1e6, v[l "plan", "cases"], v[l "compile", "ns/op"] / 1e9
	else
		print "largest product      skipped: no training catalogue beside the clone"
}' "$raw"
echo "raw output: $raw"
