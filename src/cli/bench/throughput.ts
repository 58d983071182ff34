/**
 * npm run bench — every figure beside its floor, measured interleaved in one
 * run, with medians and ranges (a script, not a test: the machines are shared
 * and noisy, so numbers are recorded in BENCHMARKS.md, never asserted).
 *
 *   parse   one core, reports per CPU second, each format in a fresh process (parse-floors.ts)
 *   ingest  all cores, wall clock; the cold run also per CPU second (ingest-floors.ts)
 *
 * Options: --only parse|ingest, --ingest-count N (default 10000),
 * --rounds N (default 5 for parse, 3 for ingest), --seconds S per parse measurement (default 1).
 */
import { availableParallelism, cpus } from 'node:os';
import { ingestPairs } from './ingest-floors';
import { table } from './measure';
import { parsePairs } from './parse-floors';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = opt('--only');
const ingestCount = Number(opt('--ingest-count') ?? 10_000);
const rounds = opt('--rounds') === undefined ? undefined : Number(opt('--rounds'));
const seconds = Number(opt('--seconds') ?? 1);
const log = (s: string) => process.stderr.write(s + '\n');

const sections: string[] = [];
if (!only || only === 'parse') sections.push('## Parse (one core, reports per CPU second)\n\n' + table(parsePairs(rounds ?? 5, seconds)));
if (!only || only === 'ingest') {
	const { pairs, notes } = await ingestPairs(ingestCount, rounds ?? 3, log);
	sections.push(
		`## Ingest (${availableParallelism()} cores, wall clock; CPU time where marked)\n\n` + table(pairs) + '\n\n' + notes.map((n) => `- ${n}`).join('\n')
	);
}
console.log(`\nNode ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log(sections.join('\n\n'));
