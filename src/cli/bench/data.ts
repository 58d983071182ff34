/**
 * Scale datasets for the dashboard benchmark, written by the same writer as
 * ingest (the entries themselves: src/lib/synthetic/scale.ts).
 *
 *   tsx src/cli/bench/data.ts --count 100000 --out /tmp/nianbao-100k [--seed 1] [--part-reports 10000]
 *
 * Written in Parquet parts of PART_REPORTS reports, as ingest writes them;
 * --part-reports N: parts of N (a million reports' ten parts per table, at
 * 100,000 reports).
 */
import { createHash } from 'node:crypto';
import { describeAgency, type AgencyOverride } from '../../lib/agencies/index';
import type { Manifest, ManifestSource } from '../../lib/dataset/columns';
import { DATASET_SCHEMA_VERSION, buildTables, type DatasetEntry } from '../../lib/dataset/tables';
import { SCALE_YEARS, scaleAgencies, scaleEntry } from '../../lib/synthetic/scale';
import { DatasetWriter } from '../ingest/dataset-writer';
import { PART_REPORTS } from '../ingest/parts';

function parseArgs(argv: string[]): { count: number; out: string; seed: number; partReports: number } | string {
	const o = { count: 0, out: '', seed: 1, partReports: PART_REPORTS };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = inline ?? argv[++i];
		if (flag === '--count') o.count = Number(value);
		else if (flag === '--out') o.out = value ?? '';
		else if (flag === '--seed') o.seed = Number(value);
		else if (flag === '--part-reports') o.partReports = Number(value);
		else return `unknown option ${flag}`;
	}
	if (!Number.isInteger(o.count) || o.count < 1) return '--count needs a positive integer';
	if (!o.out) return '--out needs a directory';
	if (!Number.isInteger(o.seed) || o.seed < 0) return '--seed needs a non-negative integer';
	if (!Number.isInteger(o.partReports) || o.partReports < 1) return '--part-reports needs a positive integer';
	return o;
}

/**
 * Generate and write `count` reports to `out` (a dataset folder, as
 * static/data), in parts of about `partReports` reports as ingest writes them
 * (parts.ts): whole agencies, in report id order.
 */
export async function writeScaleDataset(
	count: number,
	out: string,
	seed = 1,
	onBatch: (done: number) => void = () => {},
	partReports = PART_REPORTS
): Promise<Manifest> {
	const agencies = scaleAgencies(Math.ceil(count / SCALE_YEARS.length), seed);
	const overrides = new Map<string, AgencyOverride>(agencies.map((a) => [a.name, { name: a.name, code: a.code, level: a.level }]));
	const version = createHash('sha256')
		.update(JSON.stringify(['bench', DATASET_SCHEMA_VERSION, count, seed]))
		.digest('hex')
		.slice(0, 12);
	const writer = await DatasetWriter.open(out, version);
	// Reports in report id order (agency id, then year), so the writer streams them to Parquet without a sort.
	const ids = agencies.map((a) => describeAgency(a.name, overrides.get(a.name)).id);
	const byId = agencies.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
	const years = SCALE_YEARS.length;
	// A part's id names its content: the dataset's version and the part's place in it.
	const parts = Math.max(1, Math.ceil(count / partReports));
	const sinks: number[] = [];
	for (let p = 0; p < parts; p++) sinks.push(await writer.sink(createHash('sha256').update(`${version}:${p}`).digest('hex').slice(0, 12)));
	// Batches of about 100 agencies, never splitting one (two bodies can share an id), so the cross-year checks see every pair.
	const sources: ManifestSource[] = [];
	let clean = 0;
	let done = 0;
	for (let start = 0; start < byId.length; ) {
		let end = Math.min(byId.length, start + 100);
		while (end < byId.length && ids[byId[end]] === ids[byId[end - 1]]) end++;
		const entries: DatasetEntry[] = [];
		for (const a of byId.slice(start, end)) for (let k = a * years; k < Math.min(count, (a + 1) * years); k++) entries.push(scaleEntry(agencies, k, seed));
		start = end;
		const tables = buildTables(entries, overrides);
		// As ingest lists them: one record file per report.
		entries.forEach((e, i) => sources.push({ file: e.sourceFile, sha256: e.sha256, kind: 'record', status: 'ok', report_ids: [tables.reports[i].report_id] }));
		clean += tables.reports.filter((r) => r.status === 'clean').length;
		// A batch goes to the part its first report falls in: parts of count / parts reports, give or take a batch.
		await writer.appendTo(sinks[Math.min(parts - 1, Math.floor((done * parts) / count))], tables);
		onBatch((done += entries.length));
	}
	return writer.finish({
		schema_version: DATASET_SCHEMA_VERSION,
		dataset_version: version,
		built_at: new Date().toISOString(),
		source: `bench-data --count ${count} --seed ${seed}`,
		counts: { files_read: count, parsed_clean: clean, parsed_with_broken_rules: count - clean },
		sources,
		failed: [],
		duplicates: [],
		skipped: []
	});
}

async function main(argv: string[]): Promise<number> {
	const o = parseArgs(argv);
	if (typeof o === 'string') {
		process.stderr.write(`bench-data: ${o}\nusage: tsx src/cli/bench/data.ts --count N --out DIR [--seed S] [--part-reports N]\n`);
		return 2;
	}
	const t0 = performance.now();
	const manifest = await writeScaleDataset(o.count, o.out, o.seed, (done) => process.stderr.write(`\rbench-data: ${done} / ${o.count}`), o.partReports);
	process.stderr.write('\n');
	const seconds = (performance.now() - t0) / 1000;
	process.stdout.write(
		`bench-data: ${manifest.counts.reports} reports, ${manifest.counts.agencies} agencies, ${manifest.counts.facts} facts → ${o.out} (${seconds.toFixed(1)} s)\n`
	);
	return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main(process.argv.slice(2)).then(
		(code) => (process.exitCode = code),
		(e: unknown) => {
			process.stderr.write(`bench-data: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
			process.exitCode = 1;
		}
	);
}
