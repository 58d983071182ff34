/**
 * `fetch` against look-alike government sites served on 127.0.0.1 by this
 * test (never a real site): list walking, saving, the manifest, politeness,
 * bad cases, resuming, and fetch → ingest end to end.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFetchArgs, parseByteSize, userAgent } from '../src/cli/fetch';
import { decodeHtml, dispositionFileName, looksLikeHtml, reportEvidence, urlExtension } from '../src/cli/fetch/content';
import { sameSite } from '../src/cli/fetch/crawl';
import { linkTitle, parsePage } from '../src/cli/fetch/links';
import { findScriptPagination, paginationUrls } from '../src/cli/fetch/pagination';
import { fitWidth } from '../src/cli/progress';
import { HostClock, HostHealth, backoffMs, retryAfterMs } from '../src/cli/fetch/politeness';
import { ROBOTS_MAX_BYTES, checkRobots, parseRobots, patternMatches, policyFor, robotsText } from '../src/cli/fetch/robots';
import { documentLinks, pageFileName, pageReportTitle } from '../src/cli/fetch/report-page';
import { MANIFEST_NAME, TEMP_DIR, safeFileName, safeSlug, type ManifestLine } from '../src/cli/fetch/store';
import { escapeControls } from '../src/cli/terminal';
import { classifyTitle } from '../src/cli/fetch/titles';
import { describeAgency } from '../src/lib/agencies/index';
import type { Manifest } from '../src/lib/dataset/columns';
import { factsOf, reportId } from '../src/lib/dataset/tables';
import { encodeDocument, generateReport } from '../src/lib/synthetic/index';
import { runCli } from './helpers/cli';
import { TestSite, minGapMs, runFetchCli, startGovSite, startHostileSite, type GovSite, type HostileSite, type SiteReport } from './helpers/fetch-site';
import { readParquet } from './helpers/parquet';

/** Node timers have millisecond granularity and may fire a fraction of a millisecond early. */
const TIMER_SLACK_MS = 2;

const work = mkdtempSync(join(tmpdir(), 'nianbao-fetch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function manifest(out: string): ManifestLine[] {
	return readFileSync(join(out, MANIFEST_NAME), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as ManifestLine);
}

/** The last line per URL: the URL's state. */
function stateOf(out: string): Map<string, ManifestLine> {
	return new Map(manifest(out).map((l) => [l.url, l]));
}

function isUtf8(b: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(b);
		return true;
	} catch {
		return false;
	}
}

/** The stderr/stdout line that names a URL. */
function lineAbout(text: string, url: string): string {
	const lines = text.split('\n').filter((l) => l.includes(url));
	expect(lines.length, `a line about ${url}`).toBeGreaterThan(0);
	return lines[0];
}

describe('fetch: the pure parts', () => {
	it('robots.txt: our group over *, longest match wins, Allow wins a tie, * and $ patterns', () => {
		const groups = parseRobots(
			[
				'User-agent: *',
				'Disallow: /private/',
				'Allow: /private/open/',
				'',
				'User-agent: Nianbao',
				'User-agent: other',
				'Disallow: /gknb/*.pdf$',
				'Disallow: /tmp',
				'Allow: /tmp',
				'Crawl-delay: 3'
			].join('\n')
		);
		const ours = policyFor(groups, 'Nianbao');
		const u = (p: string) => new URL(p, 'http://gov.example');
		expect(checkRobots(ours, u('/private/x.html')).allowed).toBe(true); // the * group does not apply to us
		expect(checkRobots(ours, u('/gknb/a/b.pdf'))).toEqual({ allowed: false, rule: 'Disallow: /gknb/*.pdf$' });
		expect(checkRobots(ours, u('/gknb/a/b.pdf?x=1')).allowed).toBe(true);
		expect(checkRobots(ours, u('/tmp/a')).allowed).toBe(true);
		expect(ours.crawlDelay).toBe(3);
		const star = policyFor(groups, 'SomeBot');
		expect(checkRobots(star, u('/private/x.html'))).toEqual({ allowed: false, rule: 'Disallow: /private/' });
		expect(checkRobots(star, u('/private/open/x.html')).allowed).toBe(true);
		expect(checkRobots(star, u('/robots.txt')).allowed).toBe(true);
		expect(checkRobots(policyFor(parseRobots('User-agent: *\nDisallow:\n'), 'Nianbao'), u('/a')).allowed).toBe(true);
		expect(checkRobots(policyFor(parseRobots('User-agent: *\nDisallow: /年报/\n'), 'Nianbao'), u('/年报/a.html')).allowed).toBe(false);
	});

	it('pagination: createPageHTML with literals, variables and the six-argument form; 下一页 and page numbers in the same column', () => {
		expect(findScriptPagination('createPageHTML(12, 0, "index", "html");')).toEqual({ count: 12, current: 0, prefix: 'index', suffix: 'html' });
		expect(findScriptPagination('var currentPage = 2;var countPage = 5//共多少页\ncreatePageHTML(countPage, currentPage, "list", "shtml");')).toEqual({
			count: 5,
			current: 2,
			prefix: 'list',
			suffix: 'shtml'
		});
		expect(findScriptPagination("createPageHTML('page_div', 3, 1, 'index', 'html', 48);")).toEqual({ count: 3, current: 1, prefix: 'index', suffix: 'html' });
		const page = new URL('http://gov.example/col/gknb/index_1.html');
		const urls = paginationUrls('createPageHTML(3, 1, "index", "html");', [], page).map((u) => u.pathname);
		expect(urls).toEqual(['/col/gknb/index.html', '/col/gknb/index_1.html', '/col/gknb/index_2.html']);
		const links = parsePage(
			'<a href="/">首页</a><a href="list_2.html">下一页</a><a href="list_3.html">3</a><a href="/other/list_9.html">9</a><a href="a.html">新闻</a>',
			page
		).links;
		expect(paginationUrls('', links, page).map((u) => u.pathname)).toEqual(['/col/gknb/list_2.html', '/col/gknb/list_3.html']);
	});

	it('titles: annual reports in, 解读 / half-year / notices out, with the year', () => {
		expect(classifyTitle('示范市第3局2021年政府信息公开工作年度报告')).toEqual({ kind: 'report', year: 2021 });
		expect(classifyTitle('2023年度XX区人民政府政府信息公开年报')).toEqual({ kind: 'report', year: 2023 });
		expect(classifyTitle('XX县政府信息公开工作年度报告（2022年）')).toEqual({ kind: 'report', year: 2022 });
		expect(classifyTitle('文字解读:XX区2022年政府信息公开工作年度报告').kind).toBe('interpretation');
		expect(classifyTitle('图解：2023年政府信息公开工作年度报告').kind).toBe('interpretation');
		expect(classifyTitle('2022年上半年政府信息公开数据统计').kind).toBe('half_year');
		expect(classifyTitle('2023年第一季度政府信息公开工作情况').kind).toBe('half_year');
		expect(classifyTitle('关于做好2023年政府信息公开工作年度报告编制发布工作的通知').kind).toBe('notice');
		expect(classifyTitle('XX市2023年法治政府建设年度报告').kind).toBe('other');
		expect(classifyTitle('首页').kind).toBe('other');
		expect(classifyTitle('政府信息公开年报').kind).toBe('other'); // the column's own menu link
		expect(classifyTitle('XX市统计局政府信息公开工作年度报告')).toEqual({ kind: 'report', year: undefined });
	});

	it('links: resolved relative and absolute, the date listed beside each, the title attribute for cut-off text', () => {
		const base = new URL('http://gov.example/gknb/index.html');
		const page = parsePage(
			`<ul><li><a href="./2024/a.html">A局2023年政府信息…</a><span>2024-01-20</span></li>
			<li><span>[2023年01月15日]</span><a href="http://gov.example/b.html" title="B局2022年政府信息公开工作年度报告">B局…</a></li>
			<li><a href="javascript:void(0)">x</a><a href="c.html#top">C</a></li></ul>
			<table><tr><td><a href="../d.pdf">D</a></td><td>2022-2-3</td></tr></table>`,
			base
		);
		const [a, b, js, c, d] = page.links;
		expect([a.url?.href, a.listedDate]).toEqual(['http://gov.example/gknb/2024/a.html', '2024-01-20']);
		expect([b.url?.href, b.listedDate, linkTitle(b)]).toEqual(['http://gov.example/b.html', '2023-01-15', 'B局2022年政府信息公开工作年度报告']);
		expect(js.url).toBeNull();
		expect([c.url?.href, c.listedDate]).toEqual(['http://gov.example/gknb/c.html', null]); // two links share the item: no date
		expect([d.url?.href, d.listedDate]).toEqual(['http://gov.example/d.pdf', '2022-02-03']);
		expect(documentLinks(page).map((x) => x.url.pathname)).toEqual(['/d.pdf']);
	});

	it('content: charset from the header or <meta>, document links, server file names, HTML sniffing', () => {
		const gbk = encodeDocument('<html><head><meta charset="gbk"></head><body>政府信息公开</body></html>', 'gbk');
		expect(decodeHtml(gbk, 'text/html')).toContain('政府信息公开');
		expect(decodeHtml(gbk, 'text/html; charset=GBK')).toContain('政府信息公开');
		expect(decodeHtml(gbk, 'text/html; charset=utf-8')).toContain('政府信息公开'); // a header that lies
		expect(urlExtension(new URL('http://x/download.jsp?fileName=%E6%8A%A5%E5%91%8A.PDF'))).toBe('pdf');
		expect(dispositionFileName(`attachment; filename*=UTF-8''${encodeURIComponent('年度报告.pdf')}`)).toBe('年度报告.pdf');
		const gbkName = String.fromCharCode(...encodeDocument('年度报告.docx', 'gbk'));
		expect(dispositionFileName(`attachment; filename="${gbkName}"`)).toBe('年度报告.docx');
		expect(looksLikeHtml('application/octet-stream', new TextEncoder().encode('  <!DOCTYPE html><html>'))).toBe(true);
		expect(looksLikeHtml('application/pdf', new TextEncoder().encode('<html>'))).toBe(false);
		expect(reportEvidence('二、主动公开政府信息情况')).toBe('tables');
		expect(reportEvidence('首页 政府信息公开 依申请公开')).toBeNull();
		expect(pageFileName(new URL('http://x/a/content.jsp?id=3'))).toBe('content.html');
		expect(pageFileName(new URL('http://x/a/'))).toBe('index.html');
		expect(pageReportTitle(parsePage('<title>X局2023年政府信息公开工作年度报告_X局门户网站</title>', new URL('http://x/')))).toBe(
			'X局2023年政府信息公开工作年度报告'
		);
		expect(sameSite('www.gov.example', 'gov.example')).toBe(true);
		expect(sameSite('sso.gov.example', 'gov.example')).toBe(false);
	});

	it('folder names: safe slugs of titles', () => {
		expect(safeSlug('X局2023年政府信息公开工作年度报告（图片版）')).toBe('X局2023年政府信息公开工作年度报告（图片版）');
		expect(safeSlug('../..\\a/b:c*?"<>|\n d')).toBe('a_b_c_d');
		expect(safeSlug('...')).toBe('report');
		expect([...safeSlug('年'.repeat(200))].length).toBe(60);
	});

	it('file names a server sends: no path separators, no control characters, whatever the header says', () => {
		const hostile = dispositionFileName("attachment; filename*=UTF-8''..%00%2F..%2Fpwn%0a4.pdf");
		expect(hostile).toBe('..\0/../pwn\n4.pdf');
		expect(safeFileName(hostile!)).toBe('pwn_4.pdf');
		expect(safeFileName('报告\u202e\u0085fdp.exe.pdf')).toBe('报告_fdp.exe.pdf');
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (name) => {
				const safe = safeFileName(name);
				expect(safe).not.toMatch(/[\\/\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
				expect(safe).not.toMatch(/^\./);
				expect(safe.length).toBeGreaterThan(0);
			}),
			{ seed: 13, numRuns: 2000 }
		);
	});

	it('robots.txt patterns: * and $ matched without backtracking, as a regex would match them', () => {
		const viaRegex = (pattern: string, path: string) => {
			const anchored = pattern.endsWith('$');
			const body = (anchored ? pattern.slice(0, -1) : pattern).split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
			return new RegExp(`^${body.join('.*')}${anchored ? '$' : ''}`).test(path);
		};
		const pattern = fc.tuple(fc.stringMatching(/^\/[ab*$]{0,7}$/), fc.boolean()).map(([p, end]) => (end ? `${p}$` : p));
		fc.assert(
			fc.property(pattern, fc.stringMatching(/^\/[ab$]{0,10}$/), (p, path) => {
				expect(patternMatches(p, path), `${p} ~ ${path}`).toBe(viaRegex(p, path));
			}),
			{ seed: 9309, numRuns: 5000 }
		);
		expect(patternMatches('/*a*a$', '/xaya')).toBe(true);
		expect(patternMatches('/*a*a$', '/xayab')).toBe(false);
		expect(patternMatches('/a*a', '/a')).toBe(false);
		expect(patternMatches('/a$*', '/a$b')).toBe(true); // a $ before the end is a character
	});

	it('robots.txt cut at the size limit: only its complete lines are read', () => {
		const bytes = new TextEncoder().encode('User-agent: *\nDisallow: /\nAllow: /report.html-and-more\n');
		const cut = bytes.subarray(0, bytes.length - 10);
		expect(robotsText(cut, true)).toBe('User-agent: *\nDisallow: /\n');
		expect(robotsText(bytes, false)).toContain('Allow: /report.html-and-more');
		expect(ROBOTS_MAX_BYTES).toBeGreaterThanOrEqual(500 * 1024);
	});

	it("terminal lines: a site's escape sequences are shown, not obeyed", () => {
		expect(escapeControls('报告\x1b[31m红\x1b]0;title\x07\u202e\n')).toBe('报告\\x1b[31m红\\x1b]0;title\\x07\\u202e\\x0a');
		expect(escapeControls('样例市 2023年 report.pdf')).toBe('样例市 2023年 report.pdf');
	});

	it('politeness: per-host spacing, exponential back-off, Retry-After, giving up on a host', () => {
		let now = 0;
		const clock = new HostClock(1000, () => now);
		expect(clock.reserve('a')).toBe(0);
		expect(clock.reserve('a')).toBe(1000);
		expect(clock.reserve('b')).toBe(0);
		now = 5000;
		clock.release('b');
		expect(clock.reserve('b')).toBe(1000); // counted from the end of the previous response
		expect([1, 2, 3].map((k) => backoffMs(k, 1000))).toEqual([1000, 2000, 4000]);
		expect(retryAfterMs('5')).toBe(5000);
		expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
		const health = new HostHealth(3);
		expect([health.fail('h'), health.fail('h')]).toEqual([false, false]);
		health.ok('h');
		expect([health.fail('h'), health.fail('h'), health.fail('h')]).toEqual([false, false, true]);
		expect(health.isDown('h')).toBe(true);
	});

	it('arguments: defaults, units, clear refusals; a User-Agent naming Nianbao', () => {
		const o = parseFetchArgs(['https://gov.example/gknb/index.html']);
		expect(o).toMatchObject({ out: 'reports', rateSeconds: 1, maxBytes: 50 * 1024 * 1024, timeoutSeconds: 30, maxTimeSeconds: 300, refresh: false });
		expect(parseFetchArgs(['http://x/', '--max-time', '0'])).toMatch(/--max-time/);
		expect(parseFetchArgs(['http://x/', '--max-time=2.5'])).toMatchObject({ maxTimeSeconds: 2.5 });
		expect(parseFetchArgs(['http://x/', '--since', '20x'])).toMatch(/--since/);
		expect(parseFetchArgs(['ftp://x/'])).toMatch(/http/);
		expect(parseFetchArgs(['--rate', '0'])).toMatch(/--rate/);
		expect(parseByteSize('50MB')).toBe(50 * 1024 * 1024);
		expect(parseByteSize('200k')).toBe(200 * 1024);
		expect(fitWidth('列表页 pages', 5)).toBe('列表');
		expect(userAgent('ops@example.org')).toMatch(/^Nianbao\/[\d.]+ \(.*robots\.txt.*contact: ops@example\.org\)$/);
	});
});

describe('fetch from a test government site on 127.0.0.1', () => {
	let site: GovSite;
	const out = join(work, 'site');
	let first: Awaited<ReturnType<typeof runFetchCli>['done']>;
	const args = () => [...site.starts, '--out', out, '--rate', '0.2', '--timeout', '1.5', '--max-bytes', '300000', '--since', '2016'];
	const byUrl = (r: SiteReport) => stateOf(out).get(site.main.url(r.linkPath ?? r.path))!;

	beforeAll(async () => {
		site = await startGovSite();
		first = await runFetchCli(args()).done;
	});
	afterAll(async () => {
		await Promise.all([site?.main.close(), site?.files.close(), site?.outside.close()]);
	});

	it('finishes with exit 0, walking TRS pagination (createPageHTML), 下一页 and page-number links', () => {
		expect(first.code, first.stderr).toBe(0);
		const lists = site.main.paths().filter((p) => /index(_\d)?\.html$|list(_\d)?\.html$/.test(p));
		expect(lists).toEqual([
			'/gknb/index.html',
			'/gknb/index_1.html',
			'/gknb/index_2.html',
			'/column2/list.html',
			'/column2/list_2.html',
			'/column2/list_3.html'
		]);
		for (const p of site.neverRequested) expect(site.main.paths(), p).not.toContain(p);
		expect(site.outside.requests).toEqual([]);
	});

	it('saves each report page byte for byte (GBK stays GBK) in a folder named after its title', () => {
		for (const r of site.reports) {
			const line = byUrl(r);
			expect(line.kind, r.path).toBe('page');
			const saved = readFileSync(join(out, line.file!));
			expect(sha256(saved), r.path).toBe(sha256(r.bytes));
			expect(line.sha256).toBe(sha256(r.bytes));
			expect(isUtf8(saved)).toBe(r.encoding === 'utf-8');
			expect(line.file!.split('/')[0]).toBe(r.published ? r.title : safeSlug(line.title!));
			expect(line.title).toContain(r.record.agency);
			expect(line.published).toBe(r.published || null);
		}
		// A list link that redirects: the manifest has both addresses, the file the final name.
		const redirected = byUrl(site.reports[4]);
		expect([redirected.final_url, redirected.file?.split('/')[1]]).toEqual([site.main.url(site.reports[4].path), 'r105.html']);
		// The single report page named on the command line: its title comes from the page.
		const single = byUrl(site.reports[site.reports.length - 1]);
		expect(single.title).toMatch(/^样例省示范市第107办公室2024年.*年度报告$/);
	});

	it('saves attachments (also from the file host a report links), lists images, and keeps the list date', () => {
		const a = site.attachmentReport;
		const state = stateOf(out);
		const page = state.get(site.main.url(a.path))!;
		expect(page.kind).toBe('page');
		const folder = page.file!.split('/')[0];
		expect(folder).toBe(a.title);
		const pdf = state.get(site.main.url('/gknb/files/2023-report.pdf'))!;
		expect([pdf.kind, pdf.file, pdf.link_text]).toEqual(['attachment', `${folder}/2023-report.pdf`, '样例市交通运输局2023年年度报告.pdf']);
		expect(sha256(readFileSync(join(out, pdf.file!)))).toBe(sha256(a.pdf));
		const docx = state.get(site.files.url('/upload/2024/report-2023.docx'))!;
		expect(docx.file).toBe(`${folder}/交通运输局2023年报告.docx`); // the name from Content-Disposition
		expect(sha256(readFileSync(join(out, docx.file!)))).toBe(sha256(a.docx));
		expect(site.files.paths()).toEqual(['/robots.txt', '/upload/2024/report-2023.docx']);
		const img = state.get(site.main.url('/gknb/images/cover.png'))!;
		expect([img.kind, img.status, img.file]).toEqual(['image-listed', null, undefined]);
		const direct = state.get(site.main.url('/gknb/files/2022.pdf'))!;
		expect([direct.kind, direct.title, direct.published]).toEqual(['attachment', a.directTitle, '2023-01-30']);
		expect(sha256(readFileSync(join(out, direct.file!)))).toBe(sha256(a.directPdf));
	});

	it('refuses oversized attachments without reading them whole, and HTML served as a PDF', () => {
		const state = stateOf(out);
		const declared = state.get(site.main.url('/gknb/files/statistics-2023.xls'))!;
		const streamed = state.get(site.main.url('/gknb/files/scan-2023.pdf'))!;
		expect([declared.kind, declared.code, declared.max_bytes]).toEqual(['skipped', 'too_large', 300000]);
		expect(declared.reason).toMatch(/Content-Length 1024 MB/);
		expect([streamed.kind, streamed.code]).toEqual(['skipped', 'too_large']);
		expect(streamed.reason).toMatch(/stopped reading after/);
		expect(site.streamed).toEqual({ finished: false, closedEarly: true });
		expect(state.get(site.main.url('/gknb/files/login.pdf'))).toMatchObject({ kind: 'skipped', code: 'not_a_document' });
		const files = readdirSync(join(out, site.attachmentReport.title)).sort();
		expect(files).toEqual(['2023-report.pdf', 't20240201_900.html', '交通运输局2023年报告.docx']);
		expect(existsSync(join(out, TEMP_DIR))).toBe(false);
	});

	it('one clear line for each bad case, and the run goes on: 404, redirect loop, slow page, not a report, not HTML', () => {
		const all = first.stderr + first.stdout;
		expect(lineAbout(all, '/gknb/202101/gone.html')).toMatch(/HTTP 404/);
		expect(lineAbout(all, '/gknb/loop/a.html')).toMatch(/redirect loop: \/gknb\/loop\/a\.html → \/gknb\/loop\/b\.html → \/gknb\/loop\/a\.html/);
		expect(lineAbout(all, '/gknb/slow/t20210125_106.html')).toMatch(/no response within 1\.5 s.*retry 1\/3/);
		expect(site.slowHits()).toBe(2); // timed out, retried, saved
		expect(lineAbout(all, '/gknb/news/t1.html')).toMatch(/not a report/);
		expect(lineAbout(all, '/gknb/img/t2.html')).toMatch(/image\/png/);
		expect(all).not.toMatch(/\n\s+at /);
		const state = stateOf(out);
		expect(state.get(site.main.url('/gknb/202101/gone.html'))).toMatchObject({ kind: 'failed', status: 404, code: 'not_found' });
		expect(state.get(site.main.url('/gknb/loop/a.html'))).toMatchObject({ kind: 'failed', code: 'redirect_loop' });
	});

	it('passes over 解读 pages, half-year statistics, years before --since, robots.txt and other sites, saying why', () => {
		const state = stateOf(out);
		const code = (path: string, s = site.main) => state.get(s.url(path))?.code;
		expect(code('/gknb/jd/t20240121_1.html')).toBe('interpretation');
		expect(code('/gknb/bn/t20220725_1.html')).toBe('half_year');
		expect(code('/gknb/201601/t20160120_1.html')).toBe('before_since');
		expect(code('/private/t20230101_5.html')).toBe('robots');
		expect(code('/mirror/report.html', site.outside)).toBe('off_site');
		expect(lineAbout(first.stderr, '/private/t20230101_5.html')).toMatch(/robots\.txt.*Disallow: \/private\//);
	});

	it('writes the manifest: URL, final URL, status, time, type, sha256, title, listed date, kind', () => {
		const lines = manifest(out);
		for (const l of lines) {
			expect(Object.keys(l).slice(0, 10)).toEqual([
				'url',
				'final_url',
				'status',
				'fetched_at',
				'content_type',
				'sha256',
				'bytes',
				'title',
				'published',
				'kind'
			]);
			if (l.fetched_at) expect(Number.isNaN(Date.parse(l.fetched_at))).toBe(false);
			if (l.kind === 'page' || l.kind === 'attachment') expect(sha256(readFileSync(join(out, l.file!)))).toBe(l.sha256);
		}
		const kinds = new Set(lines.map((l) => l.kind));
		expect([...kinds].sort()).toEqual(['attachment', 'failed', 'image-listed', 'list', 'page', 'skipped']);
		const r2 = byUrl(site.reports[1]);
		expect(r2).toMatchObject({ status: 200, content_type: 'text/html', final_url: site.main.url(site.reports[1].path) });
	});

	it('is polite: robots.txt first, at least --rate between requests to a host, a User-Agent naming Nianbao', () => {
		for (const s of [site.main, site.files]) {
			expect(s.requests[0].path).toBe('/robots.txt');
			expect(s.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
			// Spacing runs from the end of the previous response, so the site sees at least --rate.
			expect(minGapMs(s.requests)).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
			for (const r of s.requests) expect(r.userAgent).toMatch(/^Nianbao\/\S+ \(.+robots\.txt/);
		}
	});

	it('ends with a summary and the exact next command', () => {
		expect(first.stdout).toMatch(/列表页 pages listed 6｜报告 reports found \d+｜已下载 downloaded 9｜失败 failed 2/);
		expect(first.stdout.trim().split('\n').pop()).toBe(`下一步 next: npm run --silent cli -- ingest ${out}`);
	});

	it('a second run fetches only what failed or is new', async () => {
		const added = generateReport(108, { format: 'html', encoding: 'utf-8', index: 108, year: 2024 });
		const title = `${added.record.agency}2024年政府信息公开工作年度报告`;
		site.publish('/gknb/202501/t20250110_108.html', title, '2025-01-10', added.bytes);
		site.main.reset();
		site.files.reset();
		const before = manifest(out).length;
		const again = await runFetchCli(args()).done;
		expect(again.code, again.stderr).toBe(0);
		const requested = [...new Set(site.main.paths())].sort();
		expect(requested).toEqual(
			[
				'/robots.txt',
				'/gknb/index.html',
				'/gknb/index_1.html',
				'/gknb/index_2.html',
				'/column2/list.html',
				'/column2/list_2.html',
				'/column2/list_3.html',
				'/zfxxgk/single/t20250120_107.html', // the start URL is read to know what it is
				'/gknb/202501/t20250110_108.html', // new
				'/gknb/202101/gone.html', // failed before
				'/gknb/loop/a.html',
				'/gknb/loop/b.html'
			].sort()
		);
		expect(site.files.requests).toEqual([]);
		expect(again.stdout).toMatch(/已下载 downloaded 1（已有 already 9）/);
		const added8 = stateOf(out).get(site.main.url('/gknb/202501/t20250110_108.html'))!;
		expect([added8.kind, added8.title, added8.published]).toEqual(['page', title, '2025-01-10']);
		// Only the new page, the repeated failures and the changed list page were logged.
		const fresh = manifest(out).slice(before);
		expect(fresh.map((l) => `${l.kind}:${new URL(l.url).pathname}`).sort()).toEqual(
			['list:/gknb/index.html', 'page:/gknb/202501/t20250110_108.html', 'failed:/gknb/202101/gone.html', 'failed:/gknb/loop/a.html'].sort()
		);
		site.reports.push({ record: added.record, bytes: added.bytes, path: '/gknb/202501/t20250110_108.html', title, published: '2025-01-10', encoding: 'utf-8' });
	});

	it('fetch then ingest: the dataset holds exactly the generated reports', async () => {
		const data = join(work, 'site-data');
		const r = runCli(['ingest', out, '--out', data, '--quiet']);
		expect(r.code, r.stderr + r.stdout).toBe(0);
		const m = JSON.parse(readFileSync(join(data, 'manifest.json'), 'utf8')) as Manifest;
		expect(m.counts.reports).toBe(site.reports.length);
		const reports = await readParquet(m.files.reports.map((f) => join(data, f)));
		const facts = await readParquet(m.files.facts.map((f) => join(data, f)));
		for (const s of site.reports) {
			const id = reportId(describeAgency(s.record.agency).id, s.record.year);
			const row = reports.find((x) => x.report_id === id);
			expect(row, s.title).toMatchObject({ agency: s.record.agency, year: s.record.year, template: s.record.template });
			const want = factsOf(id, s.record)
				.map((f) => `${f.table_no}|${f.row_key}|${f.column_key}|${f.value}`)
				.sort();
			const got = facts
				.filter((f) => f.report_id === id)
				.map((f) => `${f.table_no}|${f.row_key}|${f.column_key}|${f.value}`)
				.sort();
			expect(got, s.title).toEqual(want);
		}
	});

	it('fetch then ingest: each report carries the address it was fetched from, the fetch time and the hash of its file', async () => {
		const data = join(work, 'site-data');
		if (!existsSync(join(data, 'manifest.json'))) expect(runCli(['ingest', out, '--out', data, '--quiet']).code).toBe(0);
		const m = JSON.parse(readFileSync(join(data, 'manifest.json'), 'utf8')) as Manifest;
		const reports = await readParquet(m.files.reports.map((f) => join(data, f)));
		// The last manifest line naming a saved file is that file's state.
		const byFile = new Map(manifest(out).flatMap((l) => (l.file ? [[l.file, l] as const] : [])));
		expect(reports.length).toBe(site.reports.length);
		for (const row of reports) {
			const file = (row.source_file as string).split('/').slice(1).join('/');
			const line = byFile.get(file)!;
			expect(line, file).toBeDefined();
			expect(row.source_url, file).toBe(line.final_url);
			expect(row.source_url, file).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
			expect(row.fetched_at, file).toBe(line.fetched_at);
			expect(Number.isNaN(Date.parse(row.fetched_at as string))).toBe(false);
			expect(row.sha256, file).toBe(sha256(readFileSync(join(out, file))));
			expect(row.sha256, file).toBe(line.sha256);
		}
		// The page a list linked through a redirect: its final address, not the list's.
		const redirected = reports.find((r) => r.agency === site.reports[4].record.agency && r.year === site.reports[4].record.year)!;
		expect(redirected.source_url).toBe(site.main.url(site.reports[4].path));
	});
});

describe('fetch: interrupted runs resume', () => {
	let site: GovSite;
	const fast = ['--rate', '0.05', '--timeout', '1.5', '--max-bytes', '300000', '--since', '2016', '--quiet'];
	beforeAll(async () => {
		site = await startGovSite();
	});
	afterAll(async () => {
		await Promise.all([site?.main.close(), site?.files.close(), site?.outside.close()]);
	});
	const pages = (out: string) =>
		manifest(out)
			.filter((l) => l.kind === 'page')
			.map((l) => new URL(l.url).pathname);

	it('--max N stops after N reports; the next run fetches the rest and nothing twice', async () => {
		const out = join(work, 'max');
		const a = await runFetchCli([site.starts[0], '--out', out, '--max', '2', ...fast]).done;
		expect(a.code, a.stderr).toBe(0);
		expect(a.stdout).toMatch(/stopped at --max 2/);
		expect(pages(out)).toEqual([site.reports[0].path, site.reports[1].path]);
		site.main.reset();
		const b = await runFetchCli([site.starts[0], '--out', out, ...fast]).done;
		expect(b.code, b.stderr).toBe(0);
		expect(site.main.paths()).not.toContain(site.reports[0].path);
		expect(site.main.paths()).not.toContain(site.reports[1].path);
		const saved = pages(out);
		expect(new Set(saved).size).toBe(saved.length);
		expect(saved).toEqual(expect.arrayContaining([site.reports[2].path, site.attachmentReport.path, site.reports[5].path]));

		// --refresh fetches saved reports again (here the first one), same file, a new manifest line.
		site.main.reset();
		const c = await runFetchCli([site.starts[0], '--out', out, '--refresh', '--max', '1', ...fast]).done;
		expect(c.code, c.stderr).toBe(0);
		expect(site.main.paths()).toContain(site.reports[0].path);
		const again = manifest(out).filter((l) => l.kind === 'page' && l.url === site.main.url(site.reports[0].path));
		expect(again).toHaveLength(2);
		expect(again[1].file).toBe(again[0].file);
		expect(sha256(readFileSync(join(out, again[1].file!)))).toBe(sha256(site.reports[0].bytes));
	});

	it('a kill or Ctrl-C mid-run loses nothing saved; the next run fetches only the remainder', async () => {
		const killSite = await startGovSite();
		try {
			const out = join(work, 'killed');
			const start = [killSite.starts[0], killSite.starts[1], '--out', out, ...fast];
			const [r1, r2, r3, , , slow] = killSite.reports;
			const att = killSite.attachmentReport.path;
			const pdf = '/gknb/files/2023-report.pdf';

			// SIGKILL (no chance to clean up) while the first attachment of a saved page is on its way.
			const killed = runFetchCli(start);
			killSite.main.onRequest(pdf, () => killed.child.kill('SIGKILL'));
			const a = await killed.done;
			killSite.main.onRequest(pdf, undefined);
			expect(a.signal).toBe('SIGKILL');
			expect(pages(out)).toEqual([r1.path, r2.path, r3.path, att]);

			// Ctrl-C while the slow page hangs: exit 130, a message, no temp files; the attachment was caught up.
			killSite.main.reset();
			const interrupted = runFetchCli(start);
			killSite.main.onRequest(slow.path, () => interrupted.child.kill('SIGINT'));
			const b = await interrupted.done;
			killSite.main.onRequest(slow.path, undefined);
			expect(b.code).toBe(130);
			expect(b.stdout).toMatch(/interrupted/);
			expect(existsSync(join(out, TEMP_DIR))).toBe(false);
			expect(killSite.main.paths()).toContain(pdf);
			expect(killSite.main.paths()).not.toContain(att);
			expect(stateOf(out).get(killSite.main.url(pdf))?.kind).toBe('attachment');

			killSite.main.reset();
			const c = await runFetchCli(start).done;
			expect(c.code, c.stderr).toBe(0);
			const requested = killSite.main.paths();
			for (const p of [r1.path, r2.path, r3.path, att, pdf]) expect(requested).not.toContain(p);
			expect(requested).toEqual(expect.arrayContaining([slow.path, killSite.reports[3].path, killSite.reports[4].path]));
			const state = stateOf(out);
			for (const r of killSite.reports.slice(0, 6)) {
				const line = state.get(killSite.main.url(r.linkPath ?? r.path))!;
				expect(sha256(readFileSync(join(out, line.file!))), r.path).toBe(sha256(r.bytes));
			}
			const saved = pages(out);
			expect(new Set(saved).size).toBe(saved.length);
		} finally {
			await Promise.all([killSite.main.close(), killSite.files.close(), killSite.outside.close()]);
		}
	});
});

describe('fetch: a host that keeps failing', () => {
	it('is given up for the rest of the run, said once, and its remaining URLs are left for next time', async () => {
		const [main, dead] = await Promise.all([TestSite.start(), TestSite.start()]);
		try {
			const g = generateReport(201, { format: 'html', index: 201, year: 2023 });
			const links = [1, 2, 3].map((i) => `<a href="${dead.url(`/files/part${i}.pdf`)}">第${i}部分</a>`).join(' ');
			main.set('/nb/index.html', {
				headers: { 'content-type': 'text/html; charset=utf-8' },
				body: `<html><body><ul><li><a href="r.html">${g.record.agency}2023年政府信息公开工作年度报告</a> 2024-01-31</li></ul></body></html>`
			});
			main.set('/nb/r.html', {
				headers: { 'content-type': 'text/html; charset=utf-8' },
				body: new TextDecoder().decode(g.bytes).replace('</body>', `${links}</body>`)
			});
			for (const i of [1, 2, 3]) dead.set(`/files/part${i}.pdf`, { status: 503, body: 'busy' });
			const out = join(work, 'dead');
			const r = await runFetchCli([main.url('/nb/index.html'), '--out', out, '--rate', '0.05', '--timeout', '5']).done;
			expect(r.code, r.stderr).toBe(0);
			// robots.txt (404: allowed), then 4 tries of part1 and 4 of part2; part3 is not asked for.
			expect(dead.paths()).toEqual(['/robots.txt', ...Array(4).fill('/files/part1.pdf'), ...Array(4).fill('/files/part2.pdf')]);
			expect(r.stderr.match(/giving up on 127\.0\.0\.1:\d+/g)).toHaveLength(1);
			const state = stateOf(out);
			expect(state.get(dead.url('/files/part1.pdf'))).toMatchObject({ kind: 'failed', status: 503 });
			expect(state.get(dead.url('/files/part3.pdf'))).toMatchObject({ kind: 'failed', code: 'host_given_up' });
			expect(state.get(main.url('/nb/r.html'))?.kind).toBe('page');
			expect(minGapMs(dead.requests)).toBeGreaterThanOrEqual(50 - TIMER_SLACK_MS);
		} finally {
			await Promise.all([main.close(), dead.close()]);
		}
	});
});

describe('fetch: start URLs that lead nowhere', () => {
	it('stops a redirect chain after 10 hops and will not follow a redirect to another host; exit 1', async () => {
		const [site, elsewhere] = await Promise.all([TestSite.start(), TestSite.start()]);
		try {
			for (let i = 0; i < 20; i++) site.set(`/r/${i}`, { status: 302, headers: { location: `/r/${i + 1}` } });
			site.set('/away', { status: 301, headers: { location: elsewhere.url('/gknb/index.html') } });
			const out = join(work, 'nowhere');
			const r = await runFetchCli([site.url('/r/0'), site.url('/away'), '--out', out, '--rate', '0.05']).done;
			expect(r.code).toBe(1);
			expect(lineAbout(r.stderr, '/r/0')).toMatch(/more than 10 redirects/);
			expect(lineAbout(r.stderr, '/away')).toMatch(/redirects to 127\.0\.0\.1:\d+/);
			expect(site.paths()).toEqual(['/robots.txt', ...Array.from({ length: 11 }, (_, i) => `/r/${i}`), '/away']);
			expect(elsewhere.requests).toEqual([]);
			expect(stateOf(out).get(site.url('/r/0'))).toMatchObject({ kind: 'failed', code: 'too_many_redirects', final_url: site.url('/r/10') });
		} finally {
			await Promise.all([site.close(), elsewhere.close()]);
		}
	});
});

/** No raw control character (beyond the line breaks) reaches the terminal. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A run that a hang in the crawler cannot hold up forever: killed after `ms`, far beyond what the run needs. */
async function runWithin(args: string[], ms: number) {
	const run = runFetchCli(args);
	const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
	try {
		return await run.done;
	} finally {
		clearTimeout(timer);
	}
}

describe('fetch: a hostile site costs one line per bad URL, and the crawl goes on', () => {
	let site: HostileSite;
	const out = join(work, 'hostile');
	const args = () => [site.start, '--out', out, '--rate', '0.05', '--timeout', '10', '--max-time', '5'];
	let first: Awaited<ReturnType<typeof runFetchCli>['done']>;
	const state = () => stateOf(out);
	const folderOf = (title: string) => [...state().values()].find((l) => l.kind === 'page' && l.title === title)!.file!.split('/')[0];

	beforeAll(async () => {
		site = await startHostileSite();
		// A plain file where a report's folder would go: saving that report fails in a way no check foresees.
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, safeSlug(site.titles.blocked)), 'not a folder');
		first = await runFetchCli(args()).done;
	});
	afterAll(async () => {
		await Promise.all([site?.main.close(), site?.files.close()]);
	});

	it('finishes with exit 0 and no stack trace', () => {
		expect(first.code, first.stderr).toBe(0);
		expect(first.stderr + first.stdout).not.toMatch(/\n\s+at |URI malformed|Cannot read properties/);
	});

	it('contacts the file host only for the attachments report pages link, never through redirects from other URLs', () => {
		expect(site.files.paths()).toEqual(['/robots.txt', ...site.linkedFiles]);
		const s = state();
		expect(s.get(site.files.url('/a.pdf'))?.kind).toBe('attachment');
		for (const p of ['/h/b.pdf', '/h/c.pdf', '/h/go/r']) expect(s.get(site.main.url(p)), p).toMatchObject({ kind: 'skipped', code: 'off_site' });
	});

	it('saves a link with a malformed %-escape like any other page', () => {
		const line = state().get(site.main.url('/h/f1/%E4%B8.html'))!;
		expect([line.kind, line.file]).toEqual(['page', `${folderOf(site.titles.malformed)}/%E4%B8.html`]);
	});

	it('keeps a server-chosen file name inside the report folder, without separators or control characters', () => {
		const line = state().get(site.files.url('/cd.pdf'))!;
		expect([line.kind, line.file]).toEqual(['attachment', `${folderOf(site.titles.hostileName)}/pwn_4.pdf`]);
		expect(existsSync(join(out, line.file!))).toBe(true);
	});

	it('gives up on a body that drips at the total deadline (--max-time), not never', () => {
		const line = state().get(site.main.url('/h/drip.pdf'))!;
		expect([line.kind, line.code]).toEqual(['failed', 'too_slow']);
		expect(lineAbout(first.stdout, '/h/drip.pdf')).toMatch(/✗ .*--max-time 5 s/);
	});

	it('an error nothing foresaw fails that report alone', () => {
		const line = state().get(site.main.url('/h/r4.html'))!;
		expect([line.kind, line.code]).toEqual(['failed', 'error']);
		expect(lineAbout(first.stdout, '/h/r4.html')).toMatch(/✗ .*could not process this URL/);
		expect(first.stdout).toMatch(/失败 failed 3/); // the drip, the blocked folder, the 404
	});

	it('shows titles, rules and names from the site with their control characters escaped', () => {
		const all = first.stdout + first.stderr;
		expect(all).not.toMatch(RAW_CONTROL);
		expect(lineAbout(all, '/h/jd.html')).toContain('\\x1b]0;pwned\\x07');
		expect(lineAbout(all, '/private%1b[31m/x.html')).toContain('Disallow: /private\\x1b[31m/');
	});

	it('runs again without crashing and without fetching what it saved', async () => {
		site.main.reset();
		site.files.reset();
		const again = await runFetchCli(args()).done;
		expect(again.code, again.stderr).toBe(0);
		expect(site.main.paths()).not.toContain('/h/f1/%E4%B8.html');
		expect(site.files.paths()).toEqual([]);
		expect(again.stdout).toMatch(/失败 failed 3/);
		expect(again.stdout + again.stderr).not.toMatch(RAW_CONTROL);
	});
});

describe('fetch: robots.txt that is hostile or huge', () => {
	it('matches a robots pattern with 25 stars without freezing', async () => {
		const site = await TestSite.start();
		try {
			const path = `/${'a'.repeat(60)}.html`;
			site.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: `User-agent: *\nDisallow: /${'*a'.repeat(24)}*b\n` });
			site.set(path, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: generateReport(401, { format: 'html', index: 401, year: 2023 }).bytes });
			const out = join(work, 'robots-stars');
			const r = await runWithin([site.url(path), '--out', out, '--rate', '0.05'], 60_000);
			expect(r.signal, 'killed: the robots check froze the crawler').toBeNull();
			expect(r.code, r.stderr).toBe(0);
			expect(stateOf(out).get(site.url(path))?.kind).toBe('page');
		} finally {
			await site.close();
		}
	}, 90_000);

	it('reads the first 512 KiB of a larger robots.txt and obeys its complete lines', async () => {
		const site = await TestSite.start();
		try {
			const pad = (n: number) => `# ${'-'.repeat(97)}\n`.repeat(Math.ceil(n / 100)).slice(0, n);
			const head = `${pad(400 * 1024)}User-agent: *\nDisallow: /\n`;
			// An Allow line cut by the limit would read "Allow: /r.html" and open the page; a whole line is needed.
			const cutLine = 'Allow: /r.html-and-the-rest-of-this-line\n';
			const body = head + pad(ROBOTS_MAX_BYTES - head.length - 'Allow: /r.html'.length) + cutLine + pad(300 * 1024);
			expect(body.indexOf('Allow: /r.html') + 'Allow: /r.html'.length).toBe(ROBOTS_MAX_BYTES);
			site.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body });
			site.set('/r.html', {
				headers: { 'content-type': 'text/html; charset=utf-8' },
				body: generateReport(402, { format: 'html', index: 402, year: 2023 }).bytes
			});
			const out = join(work, 'robots-large');
			const r = await runFetchCli([site.url('/r.html'), '--out', out, '--rate', '0.05']).done;
			expect(site.paths()).toEqual(['/robots.txt']);
			expect(r.code).toBe(1); // the only start URL was refused
			expect(stateOf(out).get(site.url('/r.html'))).toMatchObject({ kind: 'skipped', code: 'robots' });
			expect(lineAbout(r.stderr, '/r.html')).toMatch(/Disallow: \/\)$/);
		} finally {
			await site.close();
		}
	});
});

describe('fetch: a list longer than the page cap', () => {
	it('reads 1000 pages and says, in the summary and the manifest, that it stopped there', async () => {
		const site = await TestSite.start();
		try {
			const pages = 1200;
			for (let i = 0; i < pages; i++) {
				const name = i === 0 ? 'index.html' : `index_${i}.html`;
				site.set(`/long/${name}`, {
					headers: { 'content-type': 'text/html; charset=utf-8' },
					body: `<html><body><ul><li>暂无</li></ul><script>createPageHTML(${pages}, ${i}, "index", "html");</script></body></html>`
				});
			}
			const start = site.url('/long/index.html');
			const out = join(work, 'long');
			const r = await runFetchCli([start, '--out', out, '--rate', '0.001', '--quiet']).done;
			expect(r.code, r.stderr).toBe(0);
			const lists = site.paths().filter((p) => p.startsWith('/long/'));
			expect(lists).toHaveLength(1000);
			expect(lists).not.toContain('/long/index_1000.html');
			expect(lineAbout(r.stdout, start)).toMatch(/more than 1000 pages; stopped at the cap of 1000/);
			expect(stateOf(out).get(site.url('/long/index_1000.html'))).toMatchObject({ kind: 'skipped', code: 'page_cap', referrer: start });
		} finally {
			await site.close();
		}
	}, 120_000);
});
