BENCHES += bench/bench_runtime.c
BENCHES += bench/bench_asl.c
BENCHES += bench/bench_cli.c
BENCHES += bench/bench_asl_cmd.c
BENCHES += bench/bench_integrations.c
INTEG_USERS += bench/bench_integrations.c
