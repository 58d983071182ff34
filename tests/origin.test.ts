/**
 * Where each report came from, carried by ingest into `reports`
 * (source_url, fetched_at, source_note): from a fetch-manifest.jsonl beside
 * the files, a truth file beside a document, or a record's own `_source`;
 * only http(s) addresses are kept as URLs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAgency } from '../src/lib/agencies/index';
import type { Manifest } from '../src/lib/dataset/columns';
import { originOfNote, urlInNote, webUrl } from '../src/lib/dataset/origin';
import { reportId } from '../src/lib/dataset/tables';
import { generateReport } from '../src/lib/synthetic/index';
import { runCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

const work = mkdtempSync(join(tmpdir(), 'nianbao-origin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function reportsOf(out: string): Promise<Map<string, Record<string, unknown>>> {
	const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
	const rows = await readParquet(m.files.reports.map((f) => join(out, f)));
	return new Map(rows.map((r) => [r.report_id as string, r]));
}

describe('origin: which text becomes a link', () => {
	it('only absolute http and https addresses', () => {
		expect(webUrl('https://www.example.gov.cn/a.htm')).toBe('https://www.example.gov.cn/a.htm');
		expect(webUrl(' http://x.gov.cn/p?q=1 ')).toBe('http://x.gov.cn/p?q=1');
		for (const bad of [
			'javascript:alert(1)',
			'JAVASCRIPT:alert(1)',
			'data:text/html,<b>x</b>',
			'file:///etc/passwd',
			'/relative/page.html',
			'www.x.gov.cn',
			'',
			null,
			undefined
		])
			expect(webUrl(bad), String(bad)).toBeNull();
	});

	it('the published page named in a source note, where there is one', () => {
		expect(urlInNote('github a/b page.txt (commit 12ab; archived from https://www.pingtan.gov.cn/zwgk/t20230220_80629.htm)')).toBe(
			'https://www.pingtan.gov.cn/zwgk/t20230220_80629.htm'
		);
		expect(urlInNote('页面保存自 http://www.shuyang.gov.cn/a/b.shtml，发布于 2024 年')).toBe('http://www.shuyang.gov.cn/a/b.shtml');
		expect(urlInNote('report published on www.shanghai.gov.cn, 发布日期 2020-01-31')).toBeNull();
		expect(urlInNote('see javascript:alert(1) or ftp://x.org/f')).toBeNull();
		expect(originOfNote('the project brief’s example report')).toEqual({ url: null, fetchedAt: null, note: 'the project brief’s example report' });
		expect(originOfNote(42)).toBeNull();
		expect(originOfNote('  ')).toBeNull();
	});
});

describe('ingest carries each report’s origin into reports', () => {
	const dir = join(work, 'src');
	const out = join(work, 'data');
	const fetched = generateReport(1, { format: 'html', index: 1 });
	const hostile = generateReport(2, { format: 'text', index: 2 });
	const besideTruth = generateReport(3, { format: 'text', index: 3 });
	const plain = generateReport(4, { format: 'text', index: 4 });
	const record = generateReport(5, { format: 'text', index: 5 }).record;
	const idOf = (agency: string, year: number) => reportId(describeAgency(agency).id, year);
	const fetchedAt = '2026-11-30T08:15:00.000Z';

	it('from fetch-manifest.jsonl (the last line for a file wins), a truth file beside a document, and a record’s _source', async () => {
		mkdirSync(join(dir, 'site', 'r1'), { recursive: true });
		writeFileSync(join(dir, 'site', 'r1', 'page.html'), fetched.bytes);
		writeFileSync(join(dir, 'site', 'r2.txt'), hostile.bytes);
		const line = (o: object) => JSON.stringify({ status: 200, content_type: 'text/html', bytes: 1, title: 't', published: null, ...o });
		writeFileSync(
			join(dir, 'site', 'fetch-manifest.jsonl'),
			[
				line({
					url: 'http://old.example.gov.cn/r1.html',
					final_url: 'http://old.example.gov.cn/r1.html',
					fetched_at: '2025-01-01T00:00:00.000Z',
					kind: 'page',
					file: 'r1/page.html',
					sha256: 'x'
				}),
				line({
					url: 'http://example.gov.cn/gknb/r1.html',
					final_url: 'https://example.gov.cn/gknb/2023/r1.html',
					fetched_at: fetchedAt,
					kind: 'page',
					file: 'r1/page.html',
					sha256: sha256(fetched.bytes)
				}),
				'{"url": "cut short by a kill',
				line({
					url: 'javascript:alert(1)',
					final_url: 'javascript:alert(1)',
					fetched_at: fetchedAt,
					kind: 'page',
					file: 'r2.txt',
					sha256: sha256(hostile.bytes)
				}),
				line({ url: 'http://example.gov.cn/missing.pdf', final_url: null, fetched_at: null, kind: 'failed', code: 'http_404' })
			].join('\n') + '\n'
		);
		writeFileSync(join(dir, 'doc3.txt'), besideTruth.bytes);
		writeFileSync(join(dir, 'doc3.truth.json'), JSON.stringify({ _source: 'saved from https://www.example.gov.cn/doc3.shtml (copy of 2024-01-02)' }));
		writeFileSync(join(dir, 'doc4.txt'), plain.bytes);
		writeFileSync(join(dir, 'rec5.json'), JSON.stringify({ ...record, _source: 'archived from http://www.example.gov.cn/r5.htm), checked twice' }));

		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr + r.stdout).toBe(0);
		const reports = await reportsOf(out);
		expect(reports.size).toBe(5);

		const a = reports.get(idOf(fetched.record.agency, fetched.record.year))!;
		expect([a.source_url, a.fetched_at, a.source_note, a.sha256]).toEqual(['https://example.gov.cn/gknb/2023/r1.html', fetchedAt, null, sha256(fetched.bytes)]);

		// A javascript: address in a manifest is no URL; the fetch time still stands.
		const b = reports.get(idOf(hostile.record.agency, hostile.record.year))!;
		expect([b.source_url, b.fetched_at]).toEqual([null, fetchedAt]);

		const c = reports.get(idOf(besideTruth.record.agency, besideTruth.record.year))!;
		expect([c.source_url, c.fetched_at, c.source_note]).toEqual([
			'https://www.example.gov.cn/doc3.shtml',
			null,
			'saved from https://www.example.gov.cn/doc3.shtml (copy of 2024-01-02)'
		]);

		const d = reports.get(idOf(plain.record.agency, plain.record.year))!;
		expect([d.source_url, d.fetched_at, d.source_note, d.sha256]).toEqual([null, null, null, sha256(plain.bytes)]);

		const e = reports.get(idOf(record.agency, record.year))!;
		expect([e.source_url, e.source_note, e.source_kind]).toEqual([
			'http://www.example.gov.cn/r5.htm',
			'archived from http://www.example.gov.cn/r5.htm), checked twice',
			'record'
		]);
	});

	it('a changed manifest alone (same files) makes a new dataset with the new address', async () => {
		const before = (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest).dataset_version;
		const path = join(dir, 'site', 'fetch-manifest.jsonl');
		const moved = JSON.stringify({
			url: 'http://example.gov.cn/gknb/r1.html',
			final_url: 'https://new.example.gov.cn/r1.html',
			status: 200,
			fetched_at: '2026-12-01T00:00:00.000Z',
			kind: 'page',
			file: 'r1/page.html'
		});
		writeFileSync(path, readFileSync(path, 'utf8') + moved + '\n');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr + r.stdout).toBe(0);
		const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
		expect(m.dataset_version).not.toBe(before);
		const a = (await reportsOf(out)).get(idOf(fetched.record.agency, fetched.record.year))!;
		expect([a.source_url, a.fetched_at]).toEqual(['https://new.example.gov.cn/r1.html', '2026-12-01T00:00:00.000Z']);
	});
});

const corpus = join('..', 'shared', 'corpus');
describe.skipIf(!existsSync(corpus))('the bundled dataset: each report’s source from the corpus', () => {
	it('static/data names the page in each truth file’s and record’s _source', async () => {
		const reports = [...(await reportsOf('static/data')).values()];
		const notes = new Map<string, string>();
		for (const f of readdirSync(join(corpus, 'reports')).filter((x) => x.endsWith('.truth.json')))
			notes.set(f.replace(/\.truth\.json$/, ''), (JSON.parse(readFileSync(join(corpus, 'reports', f), 'utf8')) as { _source: string })._source);
		for (const f of readdirSync(join(corpus, 'records', 'pingtan')).filter((x) => x.endsWith('.json')))
			notes.set(`pingtan/${f}`, (JSON.parse(readFileSync(join(corpus, 'records', 'pingtan', f), 'utf8')) as { _source: string })._source);
		let linked = 0;
		for (const r of reports) {
			const file = r.source_file as string;
			const key = file.startsWith('reports/') ? file.slice('reports/'.length).replace(/\.[^.]+$/, '') : file.slice('records/'.length);
			const note = notes.get(key);
			expect(note, file).toBeTypeOf('string');
			expect(r.source_note, file).toBe(note);
			// The address is read from the note by hand here: the first http(s) address, up to a space or closing bracket.
			const url = /https?:\/\/[^\s)]+/.exec(note!)?.[0] ?? null;
			expect(r.source_url, file).toBe(url);
			if (url) linked++;
		}
		expect(reports.length).toBeGreaterThan(80);
		expect(linked).toBeGreaterThan(80);
	});
});
