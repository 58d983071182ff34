import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../../src/cli/bench/data';
import { agencyKeyRange, TABLE_LAYOUT, type Manifest, type TableName } from '../../src/lib/dataset/columns';
import type { DecodedTable, RowGroupInfo } from '../../src/lib/db/decode';
import { LoadError } from '../../src/lib/db/errors';
import { DemandParts, groupsFor, OnDemand, Parts, probe, readsData, spanHolds, tablesIn } from '../../src/lib/db/lazy';
import { START_INDEX, parseStartIndex, partFile, type PartTable, type StartIndex } from '../../src/lib/db/start';
import { buildStart } from '../../src/lib/server/start';

// Tables read on demand, against a generated dataset served over HTTP with
// range requests (sirv, as the built site is served).

const dir = mkdtempSync(join(tmpdir(), 'nianbao-lazy-'));
let manifest: Manifest;
let server: Server;
let origin = '';
/** Requests the server saw: path and Range header. */
const seen: { path: string; range: string | undefined }[] = [];

beforeAll(async () => {
	// 2,100 reports: facts spans 5 row groups, reports 2, metrics 3.
	manifest = await writeScaleDataset(2100, join(dir, 'data'), 7);
	// dev: files written during the test are served too (non-dev sirv lists them once, at start).
	const files = sirv(dir, { dev: true });
	server = createServer((req, res) => {
		seen.push({ path: (req.url ?? '').split('?')[0], range: req.headers.range });
		files(req, res, () => {
			res.statusCode = 404;
			res.end();
		});
	});
	// The client closes idle sockets itself: a server closing one after 5 s (Node's default) races a request sent on it, which a loaded machine lost as "fetch failed".
	server.keepAliveTimeout = 0;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

async function fileRows(table: TableName): Promise<Record<string, unknown>[]> {
	const b = readFileSync(join(dir, 'data', manifest.files[table][0]));
	return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
}

/** An OnDemand whose inserts are kept, not sent to DuckDB. */
function onDemand(table: TableName, wholeFileBytes = 0, footerLength: number | null = null) {
	const inserted: DecodedTable[] = [];
	const file = manifest.files[table][0];
	const d = new OnDemand({ table, file, url: `${origin}/data/${file}`, bytes: manifest.bytes![table][0], wholeFileBytes, footerLength }, async (t) => {
		inserted.push(t);
	});
	const rows = () =>
		inserted.flatMap((t) => Array.from({ length: t.rows }, (_, i) => Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, v[i]]))));
	return { d, inserted, rows };
}

const sortKey = (r: Record<string, unknown>) => JSON.stringify(Object.values(r));

describe('which tables a statement needs', () => {
	it('finds the tables a statement reads, however it is written', () => {
		expect(tablesIn('SELECT * FROM facts f JOIN reports r ON r.report_id = f.report_id').sort()).toEqual(['facts', 'reports']);
		expect(tablesIn('select count(*) from MAIN.Facts')).toEqual(['facts']);
		expect(tablesIn('SELECT * FROM "issues"')).toEqual(['issues']);
		expect(tablesIn('SELECT * FROM agencies, metrics WHERE 1 = 1')).toEqual(['metrics']);
		expect(tablesIn('DELETE FROM facts WHERE report_id = ?')).toEqual(['facts']);
	});

	it('does not mistake aliases, columns, literals, comments or report_metrics for them', () => {
		expect(tablesIn('SELECT CAST(COUNT(*) AS DOUBLE) AS reports FROM report_metrics')).toEqual([]);
		expect(tablesIn("SELECT 'facts' AS x, s.metrics FROM agencies -- issues\n/* reports */")).toEqual([]);
		expect(tablesIn('SELECT * FROM report_metrics r JOIN agencies a ON a.id = r.agency_id')).toEqual([]);
	});

	it('loads only for statements that read rows', () => {
		expect(readsData('  SELECT 1')).toBe(true);
		expect(readsData('(select 1)')).toBe(true);
		expect(readsData('-- a comment\nWITH x AS (SELECT 1) SELECT * FROM x')).toBe(true);
		expect(readsData('DESCRIBE facts')).toBe(false);
		expect(readsData('CREATE OR REPLACE VIEW console.facts AS SELECT * FROM main.facts')).toBe(false);
		expect(readsData("SET search_path = 'console'")).toBe(false);
	});

	it('picks the row groups whose key range meets an agency', () => {
		const g = (index: number, minKey: string | null, maxKey: string | null): RowGroupInfo => ({
			index,
			rowStart: index * 10,
			rowEnd: index * 10 + 10,
			minKey,
			maxKey
		});
		const groups = [g(0, 'a0-2019', 'a5-2021'), g(1, 'a5-2021', 'a9-2025'), g(2, 'b0-2019', 'b3-2025'), g(3, null, null)];
		expect(groupsFor(groups, [agencyKeyRange('a5')]).map((x) => x.index)).toEqual([0, 1, 3]);
		expect(groupsFor(groups, [agencyKeyRange('b1')]).map((x) => x.index)).toEqual([2, 3]);
		expect(groupsFor(groups, [['a7-2020', 'a7-2020']]).map((x) => x.index)).toEqual([1, 3]);
		expect(groupsFor(groups, []).map((x) => x.index)).toEqual([3]);
		expect(groupsFor(groups, null)).toHaveLength(4);
	});
});

describe('reading a table on demand', () => {
	it('reads only the row groups holding one agency, by range requests, and every row of it', async () => {
		const all = await fileRows('facts');
		const agency = String(all[Math.floor(all.length / 2)].report_id).split('-')[0];
		const { footerLength } = await probe(`${origin}/data/${manifest.files.facts[0]}`, manifest.files.facts[0], manifest.bytes!.facts[0]);
		const { d, inserted, rows } = onDemand('facts', 0, footerLength);
		seen.length = 0;
		await d.ensure([agencyKeyRange(agency)]);
		const own = (r: Record<string, unknown>) => String(r.report_id).startsWith(`${agency}-`);
		expect(rows().filter(own).map(sortKey).sort()).toEqual(all.filter(own).map(sortKey).sort());
		// one or two of the five row groups, not the file
		const got = inserted.reduce((a, t) => a + t.rows, 0);
		expect(got).toBeLessThanOrEqual(2 * TABLE_LAYOUT.facts.rowGroup + 2048);
		expect(got).toBeLessThan(all.length);
		expect(d.complete).toBe(false);
		expect(seen.every((r) => r.range)).toBe(true);
		// the footer in one request (its length known from the check at start), then the row groups
		expect(seen[0].range).toBe(`bytes=${manifest.bytes!.facts[0] - footerLength! - 8}-${manifest.bytes!.facts[0] - 1}`);
		const fetched = seen.reduce((a, r) => {
			const [from, to] = r.range!.replace('bytes=', '').split('-').map(Number);
			return a + to - from + 1;
		}, 0);
		expect(fetched).toBeLessThan(manifest.bytes!.facts[0]);
	});

	it('reads each row group once, also when asked twice at the same time, and the rest when asked for all', async () => {
		const all = await fileRows('metrics');
		const agency = String(all[100].report_id).split('-')[0];
		const { d, inserted, rows } = onDemand('metrics');
		await Promise.all([d.ensure([agencyKeyRange(agency)]), d.ensure([agencyKeyRange(agency)])]);
		const first = inserted.length;
		await d.ensure([agencyKeyRange(agency)]);
		expect(inserted.length).toBe(first);
		await d.ensure(null);
		expect(d.complete).toBe(true);
		expect(rows().map(sortKey).sort()).toEqual(all.map(sortKey).sort());
	});

	it('fetches a small file whole, once', async () => {
		const { d, rows } = onDemand('issues', 1 << 30);
		seen.length = 0;
		await d.ensure(null);
		await d.ensure(null);
		expect(seen.filter((r) => r.path.endsWith('.parquet'))).toEqual([{ path: `/data/${manifest.files.issues[0]}`, range: undefined }]);
		expect(rows().length).toBe((await fileRows('issues')).length);
	});
});

describe('checking files at start', () => {
	const url = (f: string) => `${origin}/data/${f}`;

	it('accepts the dataset’s files with one small request each', async () => {
		seen.length = 0;
		const probed = await probe(url(manifest.files.facts[0]), manifest.files.facts[0], manifest.bytes!.facts[0]);
		expect(probed.whole).toBeNull();
		expect(probed.footerLength).toBeGreaterThan(0);
		expect(seen).toEqual([{ path: `/data/${manifest.files.facts[0]}`, range: `bytes=${manifest.bytes!.facts[0] - 8}-${manifest.bytes!.facts[0] - 1}` }]);
	});

	it('reports a missing, a truncated and a garbage file by name', async () => {
		const err = (p: Promise<unknown>) =>
			p.then(
				() => null,
				(e: LoadError) => [e.code, e.file]
			);
		expect(await err(probe(url('nope.parquet'), 'nope.parquet', 100_000))).toEqual(['file_missing', 'nope.parquet']);
		writeFileSync(join(dir, 'data', 'short.parquet'), 'PAR1 this is not parquet at all PAR1');
		expect(await err(probe(url('short.parquet'), 'short.parquet', 100_000))).toEqual(['file_corrupt', 'short.parquet']);
		expect(await err(probe(url('short.parquet'), 'short.parquet', 36))).toEqual(['file_corrupt', 'short.parquet']);
		const facts = readFileSync(join(dir, 'data', manifest.files.facts[0]));
		writeFileSync(join(dir, 'data', 'cut.parquet'), facts.subarray(0, facts.length - 100));
		expect(await err(probe(url('cut.parquet'), 'cut.parquet', facts.length))).toEqual(['file_corrupt', 'cut.parquet']);
	});
});

describe('reading the build’s parts (start.ts)', () => {
	/** The generated dataset's start files, cut into parts of 50 agencies (6 parts), served beside data/. */
	let index: StartIndex;
	beforeAll(async () => {
		const files = await buildStart(join(dir, 'data'), 50);
		mkdirSync(join(dir, 'start'), { recursive: true });
		for (const [name, bytes] of files) writeFileSync(join(dir, 'start', name), bytes);
		index = parseStartIndex(new TextDecoder().decode(files.get(START_INDEX)), manifest.dataset_version);
	});

	function parts(table: PartTable) {
		const inserted: DecodedTable[] = [];
		const p = new Parts(
			table,
			index.parts,
			(i) => ({ file: `start/${partFile(table, i)}`, url: `${origin}/start/${partFile(table, i)}` }),
			async (t) => {
				inserted.push(t);
			}
		);
		const ids = () => inserted.flatMap((t) => t.columns[table === 'agencies' ? 'id' : 'report_id'] as string[]);
		return { p, inserted, ids };
	}

	it('reads one part for a scope, each part once, and every row when asked for all', async () => {
		expect(index.parts).toBe(6);
		const { p, inserted, ids } = parts('report_metrics');
		seen.length = 0;
		await Promise.all([p.ensure([3]), p.ensure([3])]);
		expect(seen.map((r) => r.path)).toEqual(['/start/report_metrics-3.parquet']);
		expect(inserted).toHaveLength(1);
		expect(p.complete).toBe(false);
		await p.ensure(null);
		expect(p.complete).toBe(true);
		expect(inserted).toHaveLength(6);
		const all = (await fileRows('report_metrics')).map((r) => String(r.report_id));
		expect(ids().sort()).toEqual(all.sort());
	});

	it('puts a scope’s part before the rest of a whole-table read', async () => {
		const { p, inserted } = parts('agencies');
		const all = p.ensure(null);
		const one = p.ensure([5]);
		await one;
		// part 0 may already be on its way; part 5 comes right after it, not last
		expect(inserted.length).toBeLessThanOrEqual(2);
		await all;
		expect(inserted).toHaveLength(6);
	});

	it('says which part file is broken', async () => {
		writeFileSync(join(dir, 'start', partFile('agencies', 2)), 'PAR1 not parquet PAR1');
		const { p } = parts('agencies');
		await expect(p.ensure([2])).rejects.toMatchObject({ code: 'file_corrupt', file: `start/${partFile('agencies', 2)}` });
	});
});

describe('reading a dataset in parts (manifest.files)', () => {
	/** The same kind of dataset in three parts of ~700 reports, as ingest writes a million in ten, with the build's spans. */
	let parted: Manifest;
	let index: StartIndex;
	beforeAll(async () => {
		parted = await writeScaleDataset(2100, join(dir, 'parted', 'data'), 7, () => {}, 700);
		const files = await buildStart(join(dir, 'parted', 'data'));
		index = parseStartIndex(new TextDecoder().decode(files.get(START_INDEX)), parted.dataset_version);
	});

	function demand(table: TableName, spans: boolean) {
		const inserted: DecodedTable[] = [];
		const sources = parted.files[table].map((file, i) => ({
			table,
			file,
			url: `${origin}/parted/data/${file}`,
			bytes: parted.bytes![table][i],
			wholeFileBytes: 0,
			...(spans ? { span: index.spans![table]![i] } : {})
		}));
		const d = new DemandParts(sources, async (t) => {
			inserted.push(t);
		});
		return { d, inserted };
	}

	it('knows each part’s first and last report id from the build', async () => {
		for (const t of ['reports', 'facts', 'metrics', 'issues'] as const) {
			expect(index.spans![t]).toHaveLength(3);
			for (const [i, file] of parted.files[t].entries()) {
				const b = readFileSync(join(dir, 'parted', 'data', file));
				const ids = (await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, columns: ['report_id'] })).map(
					(r) => String(r.report_id)
				);
				expect(index.spans![t]![i]).toEqual([ids[0], ids.at(-1)]);
			}
		}
		expect(spanHolds(['b', 'c'], [['a', 'a']])).toBe(false);
		expect(spanHolds(['b', 'c'], [['a', 'b']])).toBe(true);
		expect(spanHolds(null, [['a', 'b']])).toBe(false);
		expect(spanHolds(undefined, [['a', 'b']])).toBe(true);
		expect(spanHolds(null, null)).toBe(true);
	});

	it('opens only the part holding an agency, and reads every row of it', async () => {
		const b = readFileSync(join(dir, 'parted', 'data', parted.files.facts[1]));
		const middle = await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
		const agency = String(middle[Math.floor(middle.length / 2)].report_id).split('-')[0];
		const own = (r: Record<string, unknown>) => String(r.report_id).startsWith(`${agency}-`);
		const { d, inserted } = demand('facts', true);
		seen.length = 0;
		await d.ensure([agencyKeyRange(agency)]);
		expect(new Set(seen.map((r) => r.path))).toEqual(new Set([`/parted/data/${parted.files.facts[1]}`]));
		const rows = inserted.flatMap((t) => Array.from({ length: t.rows }, (_, i) => Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, v[i]]))));
		expect(rows.filter(own).map(sortKey).sort()).toEqual(middle.filter(own).map(sortKey).sort());
		expect(rows.filter(own).length).toBeGreaterThan(0);
		// Every part, when asked for every row.
		await d.ensure(null);
		expect(d.complete).toBe(true);
		// Without the build's spans, every part's footer is read.
		const blind = demand('facts', false);
		seen.length = 0;
		await blind.d.ensure([agencyKeyRange(agency)]);
		expect(new Set(seen.map((r) => r.path)).size).toBe(3);
	});
});
