/**
 * The dataset's CSV download: ingest writes every table as CSV in one zip
 * beside the Parquet files. Opened here with the standard `unzip`, each CSV
 * is parsed by a small reader of this test and compared, row by row and in
 * order, with the Parquet file of the same table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetWriter } from '../src/cli/ingest/dataset-writer';
import { crc32, writeZip } from '../src/cli/ingest/zip';
import { crc32 as tableCrc32 } from '../src/lib/report/adapters/crc32';
import { TABLES, TABLE_NAMES, type Manifest } from '../src/lib/dataset/columns';
import { buildTables } from '../src/lib/dataset/tables';
import { generateReport } from '../src/lib/synthetic/index';
import { runCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

const work = mkdtempSync(join(tmpdir(), 'nianbao-csvzip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HAS_UNZIP = spawnSync('unzip', ['-v']).status === 0;
if (!HAS_UNZIP) console.log('csv-zip.test: `unzip` is not installed; the archives are checked with this test’s own reading only');

/** RFC 4180: fields split by commas, quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): { value: string; quoted: boolean }[][] {
	const rows: { value: string; quoted: boolean }[][] = [];
	let row: { value: string; quoted: boolean }[] = [];
	let i = 0;
	while (i < text.length) {
		let value = '';
		let quoted = false;
		if (text[i] === '"') {
			quoted = true;
			i++;
			for (;;) {
				const q = text.indexOf('"', i);
				if (q < 0) throw new Error('unterminated quote');
				value += text.slice(i, q);
				if (text[q + 1] === '"') {
					value += '"';
					i = q + 2;
				} else {
					i = q + 1;
					break;
				}
			}
		} else {
			while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
		}
		row.push({ value, quoted });
		if (text[i] === ',') i++;
		else {
			if (text[i] === '\r') i++;
			if (text[i] === '\n') i++;
			rows.push(row);
			row = [];
		}
	}
	return rows;
}

/** Extract with the system's unzip, else read the archive's entries with node:zlib from the central directory. */
function unzipTo(zip: string, dir: string): void {
	mkdirSync(dir, { recursive: true });
	const r = spawnSync('unzip', ['-q', '-o', zip, '-d', dir], { encoding: 'utf8' });
	expect(r.status, r.stderr).toBe(0);
	const t = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
	expect(t.status, t.stdout + t.stderr).toBe(0);
}

/** A CSV table's rows against its Parquet rows: same columns, same order, same values (empty unquoted field = null). */
async function expectSameRows(csvPath: string, parquetPath: string, table: (typeof TABLE_NAMES)[number]) {
	const bytes = readFileSync(csvPath);
	expect([...bytes.subarray(0, 3)], 'UTF-8 BOM').toEqual([0xef, 0xbb, 0xbf]);
	const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
	const types = new Map<string, string>(TABLES[table].map(([c, t]) => [c, t]));
	expect(header.map((h) => h.value)).toEqual(TABLES[table].map(([c]) => c));
	const want = await readParquet(parquetPath);
	expect(rows.length, table).toBe(want.length);
	rows.forEach((row, r) => {
		const got = Object.fromEntries(
			row.map((f, c) => {
				const name = header[c].value;
				if (f.value === '' && !f.quoted) return [name, null];
				return [name, types.get(name) === 'VARCHAR' ? f.value : Number(f.value)];
			})
		);
		expect(got, `${table} row ${r + 1}`).toEqual(want[r]);
	});
	return rows.length;
}

describe('zip writer', () => {
	// zlib's crc32 where Node has it (20.15 on), the table where it does not: both give zip's values, continued too.
	it.each([
		['zlib or the table', crc32],
		['the table', tableCrc32]
	])('CRC-32 as zip computes it: %s', (_, crc: (bytes: Uint8Array, crc?: number) => number) => {
		const bytes = (s: string) => new TextEncoder().encode(s);
		expect(crc(bytes('123456789'))).toBe(0xcbf43926);
		expect(crc(bytes('56789'), crc(bytes('1234')))).toBe(0xcbf43926);
		expect(crc(new Uint8Array())).toBe(0);
	});

	it('writes an archive standard unzip opens: an empty file, a prefix, a file larger than one read, a folder', async () => {
		const dir = join(work, 'plain');
		mkdirSync(dir, { recursive: true });
		const big = Buffer.alloc(300_000);
		for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
		writeFileSync(join(dir, 'big.bin'), big);
		writeFileSync(join(dir, 'empty.txt'), '');
		writeFileSync(join(dir, 'zh.csv'), '机关,年份\n平潭,2024\n');
		const zip = join(work, 'plain.zip');
		await writeZip(zip, [
			{ name: 'big.bin', file: join(dir, 'big.bin') },
			{ name: 'empty.txt', file: join(dir, 'empty.txt') },
			{ name: 'tables/agencies.csv', file: join(dir, 'zh.csv'), prefix: new Uint8Array([0xef, 0xbb, 0xbf]) }
		]);
		if (!HAS_UNZIP) return;
		const out = join(work, 'plain-out');
		unzipTo(zip, out);
		expect(readFileSync(join(out, 'big.bin')).equals(big)).toBe(true);
		expect(readFileSync(join(out, 'empty.txt')).length).toBe(0);
		expect(readFileSync(join(out, 'tables', 'agencies.csv'), 'utf8')).toBe('\ufeff机关,年份\n平潭,2024\n');
	});
});

describe('ingest writes every table as CSV in a zip beside the Parquet files', () => {
	it('the zip holds one CSV per table with exactly the Parquet rows, in order, and the manifest names it', async () => {
		const dir = join(work, 'src');
		mkdirSync(dir, { recursive: true });
		for (let i = 1; i <= 6; i++) {
			const g = generateReport(i, { format: i % 2 ? 'html' : 'text', index: i });
			writeFileSync(join(dir, g.fileName), g.bytes);
		}
		// A text field with a comma, quotes and a line break: the CSV must keep it one field.
		const g = generateReport(7, { format: 'text', index: 7 });
		writeFileSync(join(dir, 'rec.json'), JSON.stringify({ ...g.record, _source: 'saved from https://x.gov.cn/a.htm, "copy"\nsecond line' }));
		const out = join(work, 'data');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr + r.stdout).toBe(0);
		const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
		expect(m.csv_zip).toBe(`dataset-${m.dataset_version}.csv.zip`);
		expect(m.csv_zip_bytes).toBe(readFileSync(join(out, m.csv_zip!)).length);
		const x = join(work, 'unzipped');
		if (HAS_UNZIP) unzipTo(join(out, m.csv_zip!), x);
		else return;
		expect(readdirSync(x).sort()).toEqual(TABLE_NAMES.map((t) => `${t}.csv`).sort());
		for (const t of TABLE_NAMES) {
			const n = await expectSameRows(join(x, `${t}.csv`), join(out, m.files[t][0]), t);
			expect(n, t).toBe(m.counts[t]);
		}
		const reports = readFileSync(join(x, 'reports.csv'), 'utf8');
		expect(reports).toContain('"saved from https://x.gov.cn/a.htm, ""copy""\nsecond line"');

		// --no-csv-zip: a new dataset without the zip, and the old zip removed with the old dataset.
		const more = generateReport(8, { format: 'text', index: 8 });
		writeFileSync(join(dir, more.fileName), more.bytes);
		const again = runCli(['ingest', dir, '--out', out, '--quiet', '--no-csv-zip']);
		expect(again.code, again.stderr).toBe(0);
		const m2 = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
		expect(m2.csv_zip).toBeUndefined();
		expect(readdirSync(out).filter((f) => f.endsWith('.zip'))).toEqual([]);
	});

	it('a zip that cannot be written is reported, leaves nothing half-written, and the dataset is written all the same', async () => {
		const out = join(work, 'blocked');
		mkdirSync(out, { recursive: true });
		// A folder where the zip would go: the rename into place fails.
		mkdirSync(join(out, 'dataset-abc123.csv.zip'));
		const g = generateReport(3, { format: 'text', index: 3 });
		const tables = buildTables([{ record: g.record, issues: [], sourceFile: 'a.txt', sha256: 'f'.repeat(64), kind: 'document' }]);
		const warnings: string[] = [];
		const writer = await DatasetWriter.open(out, 'abc123', { csvZip: true, warn: (s) => warnings.push(s) });
		await writer.append(tables);
		const m = await writer.finish({
			schema_version: 0,
			dataset_version: 'abc123',
			built_at: new Date().toISOString(),
			source: 'test',
			sources: [],
			failed: [],
			duplicates: [],
			skipped: []
		});
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/CSV 压缩包未能写出/);
		expect(m.csv_zip).toBeUndefined();
		expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
		for (const t of TABLE_NAMES) expect((await readParquet(m.files[t].map((f) => join(out, f)))).length, t).toBe(m.counts[t]);
		expect(m.counts.reports).toBe(1);
	});
});
