// Peer for bench/bench_asl_cmd: runs an ASL state machine with
// aws-local-stepfunctions (a JavaScript interpreter of the same language)
// and prints its output as JSON, as `tutti run DEFINITION INPUT` does.
//   node bench/peer/run-aws-local-sfn.mjs DEFINITION INPUT
// The package comes from scripts/bench-peer.sh, installed under
// $TUTTI_BENCH_PEER (default /opt/tutti-bench-peer), not in this repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [def, input] = process.argv.slice(2);
if (!def || !input) {
  console.error('usage: run-aws-local-sfn.mjs DEFINITION INPUT');
  process.exit(2);
}
const peer = process.env.TUTTI_BENCH_PEER || '/opt/tutti-bench-peer';
const main = join(peer, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js');
const { StateMachine } = await import(pathToFileURL(main).href);
const sm = new StateMachine(JSON.parse(readFileSync(def, 'utf8')));
const out = await sm.run(JSON.parse(readFileSync(input, 'utf8'))).result;
process.stdout.write(JSON.stringify(out) + '\n');
