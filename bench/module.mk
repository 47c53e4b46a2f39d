# Benchmarks: programs that print `name: value unit` lines (make bench).
BENCHES     += bench/bench_runtime.c bench/bench_asl.c bench/bench_cli.c bench/bench_asl_cmd.c bench/bench_integrations.c \
	       bench/bench_store.c bench/bench_serve.c bench/bench_api.sh bench/bench_batch.sh bench/bench_graph.c \
	       bench/bench_console.sh
INTEG_USERS += bench/bench_integrations.c bench/bench_serve.c bench/bench_graph.c
# JSONata beside its JavaScript reference: the script runs the C program
# (built here, not run on its own) and the reference on Node, same set.
BENCHES += bench/bench_jsonata.sh
bench: $(BUILD)/bench/bench_jsonata
