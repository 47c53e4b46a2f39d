BENCHES += bench/bench_runtime.c
