BENCHES += bench/bench_runtime.c
BENCHES += bench/bench_integrations.c
