import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLES, TABLE_LAYOUT, TABLE_NAMES, type Manifest, type ManifestSource, type TableName } from '../src/lib/dataset/columns';
import { buildTables, type DatasetEntry } from '../src/lib/dataset/tables';
import { DatasetWriter, compareText, writeDataset } from '../src/cli/ingest/dataset-writer';
import { readSource } from '../src/cli/ingest/read';
import { cachePath } from '../src/cli/ingest/index';
import { generateRecord } from '../src/lib/synthetic/record';
import { generateReport } from '../src/lib/synthetic/index';
import { scaleAgencies } from '../src/lib/synthetic/scale';
import { describeAgency } from '../src/lib/agencies/index';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { runCli, startCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

/**
 * The streamed write (issue 16): batches of whole agencies in report id order
 * go straight to Parquet with no sort. What it writes must be what building
 * every table at once in memory gives, in the order DuckDB's ORDER BY gives.
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-stream-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
const rowsOf = (out: string, name: TableName) => readParquet(manifestOf(out).files[name].map((f) => join(out, f)));

/** A row as comparable text: null for a missing value, as Parquet gives it back. */
function rowText(name: TableName, row: object): string {
	const r = row as Record<string, unknown>;
	return JSON.stringify(TABLES[name].map(([c]) => r[c] ?? null));
}

/** The file's order keys, beside the same file sorted by DuckDB: equal when the file is in ORDER BY order (ties have equal keys). */
async function keysAndSorted(path: string, name: TableName): Promise<[string[], string[]]> {
	const keys = TABLE_LAYOUT[name].order;
	const asText = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.values(r)));
	return [asText(await readParquet(path, `SELECT ${keys} FROM t`)), asText(await readParquet(path, `SELECT ${keys} FROM t ORDER BY ${keys}`))];
}

describe('text order', () => {
	it('orders strings as DuckDB does (UTF-8 bytes), also past U+FFFF where UTF-16 order differs', async () => {
		const words = ['a', 'ab', 'a-1', 'a-2019', 'B', '', '\uffef', '\ue000', '😀', '𠀀x', '年报', '年', '一、', '（一）', 'z!', 'z'];
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		try {
			const values = words.map((w) => `('${w.replace(/'/g, "''")}')`).join(', ');
			const reader = await conn.runAndReadAll(`SELECT w FROM (VALUES ${values}) v(w) ORDER BY w`);
			const duck = reader.getRows().map((r) => String(r[0]));
			expect([...words].sort(compareText)).toEqual(duck);
			// the case plain `<` gets wrong
			expect([...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).not.toEqual(duck);
		} finally {
			conn.closeSync();
			instance.closeSync();
		}
	});
});

/** Records of `agencies` bodies over three years each, and their tables built at once. */
function recordEntries(agencies: number): DatasetEntry[] {
	const entries: DatasetEntry[] = [];
	for (let a = 0; a < agencies; a++)
		for (const year of [2021, 2022, 2023]) {
			const record = { ...generateRecord(a * 10 + year, { year }), agency: `示范市测试局${a}` };
			entries.push({ record, issues: [], sourceFile: `r/${a}-${year}.json`, sha256: `${a}-${year}`, kind: 'record' });
		}
	return entries;
}

describe('the dataset writer', () => {
	it('writes the same files from one batch, from batches in order (no sort) and from batches out of order (sorted by DuckDB)', async () => {
		const entries = recordEntries(40);
		const all = buildTables(entries);
		const manifest = { schema_version: 0, dataset_version: 'v', built_at: 't', source: 's', sources: [], failed: [], duplicates: [], skipped: [] };
		const once = join(work, 'once');
		await writeDataset(once, all, manifest);
		// By agency: reports in id order, and the same batches shuffled.
		const byAgency = new Map<string, DatasetEntry[]>();
		for (const e of entries) byAgency.set(e.record.agency, [...(byAgency.get(e.record.agency) ?? []), e]);
		const groups = [...byAgency.values()].map((g) => ({ id: buildTables(g).reports[0].agency_id, g }));
		const sorted = [...groups].sort((x, y) => compareText(x.id, y.id));
		for (const [dir, order] of [
			['inorder', sorted],
			['shuffled', [...sorted].reverse()]
		] as const) {
			const writer = await DatasetWriter.open(join(work, dir), 'v');
			for (let i = 0; i < order.length; i += 7) await writer.append(buildTables(order.slice(i, i + 7).flatMap((x) => x.g)));
			await writer.finish(manifest);
		}
		for (const name of TABLE_NAMES) {
			const want = (await rowsOf(once, name)).map((r) => rowText(name, r));
			expect(want.length, name).toBe(all[name].length);
			expect([...want].sort(), name).toEqual(all[name].map((r) => rowText(name, r)).sort());
			for (const dir of ['once', 'inorder', 'shuffled']) {
				const got = (await rowsOf(join(work, dir), name)).map((r) => rowText(name, r));
				expect([...got].sort(), `${dir} ${name}`).toEqual([...want].sort());
				const [keys, duckSorted] = await keysAndSorted(join(work, dir, manifestOf(join(work, dir)).files[name][0]), name);
				expect(keys, `${dir} ${name} order`).toEqual(duckSorted);
			}
		}
		// Cross-year checks found something to compare: whole agencies per batch.
		expect(all.issues.some((i) => i.code === 'continuity_carry')).toBe(true);
	});

	it('an agency that comes in more than one batch gets one row, named by its latest report, whatever the batch order', async () => {
		// One body under two names (the 2024 report adds the city): one id, and the 2024 name wins, as building at once gives.
		const named = (agency: string, year: number): DatasetEntry => ({
			record: { ...generateRecord(year, { year }), agency },
			issues: [],
			sourceFile: `r/${year}.json`,
			sha256: String(year),
			kind: 'record'
		});
		const early = [named('洪泽区人民政府', 2022), named('洪泽区人民政府', 2023)];
		const late = [named('淮安市洪泽区人民政府', 2024)];
		const other = recordEntries(3);
		const all = buildTables([...early, ...late, ...other]);
		expect(all.agencies.filter((a) => a.name.endsWith('洪泽区人民政府'))).toHaveLength(1);
		const manifest = { schema_version: 0, dataset_version: 'v', built_at: 't', source: 's', sources: [], failed: [], duplicates: [], skipped: [] };
		const once = join(work, 'split-once');
		await writeDataset(once, all, manifest);
		const want = (await rowsOf(once, 'agencies')).map((r) => rowText('agencies', r));
		expect(want.some((r) => r.includes('"淮安市洪泽区人民政府"'))).toBe(true);
		for (const [dir, batches] of [
			['split-forward', [early, other, late]],
			['split-backward', [late, other, early]],
			['split-tie', [[named('洪泽区人民政府', 2024)], other, late, early]]
		] as const) {
			const writer = await DatasetWriter.open(join(work, dir), 'v');
			for (const b of batches) await writer.append(buildTables([...b]));
			const m = await writer.finish(manifest);
			const got = (await rowsOf(join(work, dir), 'agencies')).map((r) => rowText('agencies', r));
			// The tie (two 2024 reports under two names): the later batch's name, as a merge in batch order keeps.
			expect(got, dir).toEqual(want);
			expect(m.counts.agencies, dir).toBe(want.length);
		}
	});
});

describe('ingest, streamed', () => {
	// Records of 200 bodies × 3 years (more than one write batch of 500 reports) and 30 parsed documents.
	const dir = join(work, 'src');
	const files: string[] = [];
	mkdirSync(join(dir, 'records'), { recursive: true });
	for (let a = 0; a < 200; a++)
		for (const year of [2020, 2021, 2022]) {
			const record = { ...generateRecord(a * 7 + year, { year }), agency: `流测市第${a + 1}局` };
			const file = join(dir, 'records', `${a}-${year}.json`);
			writeFileSync(file, JSON.stringify(record));
			files.push(file);
		}
	for (let i = 1; i <= 30; i++) {
		const g = generateReport(i, { format: i % 2 ? 'html' : 'text', noise: 0.2, index: i });
		writeFileSync(join(dir, g.fileName), g.bytes);
		files.push(join(dir, g.fileName));
	}

	it('writes what building every table at once in memory gives, in DuckDB order', async () => {
		const out = join(work, 'streamed');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr).toBe(0);
		const m = manifestOf(out);
		expect(m.duplicates).toEqual([]);
		expect(m.counts.failed).toBe(0);
		// The old way: every file read, every table built in one go.
		registerDocumentAdapters();
		const entries: DatasetEntry[] = [];
		for (const file of files.sort()) {
			const kind = file.endsWith('.json') ? 'record' : 'document';
			const outcome = await readSource(readFileSync(file), file, kind);
			if (!outcome.ok) throw new Error(outcome.reason);
			const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
			for (const e of outcome.entries) entries.push({ ...e, sourceFile: `src/${relative(dir, file)}`, sha256, kind });
		}
		const all = buildTables(entries);
		expect(all.reports).toHaveLength(630);
		expect(all.issues.filter((i) => i.code === 'continuity_carry').length).toBeGreaterThan(0);
		for (const name of TABLE_NAMES) {
			const got = (await rowsOf(out, name)).map((row) => rowText(name, row));
			expect(got.length, name).toBe(all[name].length);
			expect(got.sort(), name).toEqual(all[name].map((row) => rowText(name, row)).sort());
			const [keys, duckSorted] = await keysAndSorted(join(out, m.files[name][0]), name);
			expect(keys, `${name} order`).toEqual(duckSorted);
		}
		// The sources file, written a piece at a time, is one JSON array of every file.
		const sources = JSON.parse(readFileSync(join(out, m.sources_file!), 'utf8')) as ManifestSource[];
		expect(sources.map((s) => s.file).sort()).toEqual(files.map((f) => `src/${relative(dir, f)}`).sort());
		expect(m.source_kinds).toEqual({ document: 30, record: 600 });
	});

	it('a run killed while it writes the Parquet leaves the previous dataset whole, and the next run finishes it', async () => {
		const out = join(work, 'killed');
		const small = join(work, 'small');
		mkdirSync(small, { recursive: true });
		for (const f of files.slice(0, 30)) writeFileSync(join(small, f.split('/').pop()!), readFileSync(f));
		expect(runCli(['ingest', small, '--out', out, '--quiet']).code).toBe(0);
		const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f)).toString('base64')]));
		// All 630 now; killed once it is writing: its rows are waiting beside the cache, or a Parquet file is half written.
		for (const f of files) writeFileSync(join(small, relative(dir, f).replace('/', '_')), readFileSync(f));
		const spill = cachePath(out).replace(/\.jsonl$/, '.rows');
		const writing = () =>
			(existsSync(spill) && readdirSync(spill).some((f) => f.startsWith('rows.tmp-'))) || readdirSync(out).some((f) => f.includes('.parquet.tmp-'));
		const child = startCli(['ingest', small, '--out', out, '--quiet']);
		const killed = await new Promise<boolean>((resolve) => {
			const poll = setInterval(() => {
				if (writing()) {
					child.kill('SIGKILL');
					clearInterval(poll);
				}
			}, 2);
			child.on('exit', (_code, signal) => {
				clearInterval(poll);
				resolve(signal === 'SIGKILL');
			});
		});
		expect(killed).toBe(true);
		const after = Object.fromEntries(
			readdirSync(out)
				.filter((f) => !f.includes('.tmp-'))
				.map((f) => [f, readFileSync(join(out, f)).toString('base64')])
		);
		expect(after).toEqual(before);
		const done = runCli(['ingest', small, '--out', out, '--quiet']);
		expect(done.code, done.stderr).toBe(0);
		expect(readdirSync(out).some((f) => f.includes('.tmp-'))).toBe(false);
		expect(manifestOf(out).counts.reports).toBe(630);
		expect(existsSync(join(out, manifestOf(out).files.facts[0]))).toBe(true);
		expect(readdirSync(spill).filter((f) => f.startsWith('rows.tmp-'))).toEqual([]);
		expect(existsSync(dirname(spill))).toBe(true);
	});
});

describe('bench:data at a million reports', () => {
	it('finds 142,858 distinct agencies with distinct ids (the named bodies run out near 127,000)', () => {
		const agencies = scaleAgencies(142_858, 1);
		expect(new Set(agencies.map((a) => a.name)).size).toBe(142_858);
		expect(new Set(agencies.map((a) => describeAgency(a.name, { name: a.name, code: a.code, level: a.level }).id)).size).toBe(142_858);
		// The first ones are those a smaller dataset has: a larger count only adds agencies.
		expect(scaleAgencies(1000, 1)).toEqual(agencies.slice(0, 1000));
	});
});
