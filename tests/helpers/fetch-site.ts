/**
 * Government-website look-alikes served on 127.0.0.1 (port 0) for the
 * `fetch` tests: TRS-style list pages, GBK and UTF-8, attachments, and the
 * bad cases (404, redirect loop, slow, robots.txt, oversized, not a report).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeDocument, generateReport } from '../../src/lib/synthetic/index';
import type { ReportRecord } from '../../src/lib/report/schema';

export interface SiteRequest {
	path: string;
	/** performance.now() when the request arrived. */
	at: number;
	userAgent: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Route {
	status?: number;
	headers?: Record<string, string>;
	body?: Uint8Array | string;
}

/** A tiny web server that records every request. Unknown paths are 404. */
export class TestSite {
	readonly requests: SiteRequest[] = [];
	private readonly routes = new Map<string, Route | Handler>();
	private readonly hooks = new Map<string, () => void>();
	private constructor(private readonly server: Server) {}

	static async start(): Promise<TestSite> {
		// The handler runs only once requests arrive, after `site` exists.
		const server = createServer((req, res) => site.handle(req, res));
		const site = new TestSite(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return site;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	get origin(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get host(): string {
		return `127.0.0.1:${this.port}`;
	}

	url(path: string): string {
		return `${this.origin}${path}`;
	}

	set(path: string, route: Route | Handler): this {
		this.routes.set(path, route);
		return this;
	}

	/** Call `fn` when `path` is requested, before answering (e.g. to kill the crawler mid-run). */
	onRequest(path: string, fn: (() => void) | undefined): this {
		if (fn) this.hooks.set(path, fn);
		else this.hooks.delete(path);
		return this;
	}

	/** Paths requested, in order. */
	paths(): string[] {
		return this.requests.map((r) => r.path);
	}

	reset(): void {
		this.requests.length = 0;
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const path = req.url ?? '/';
		this.requests.push({ path, at: performance.now(), userAgent: String(req.headers['user-agent'] ?? '') });
		this.hooks.get(path)?.();
		const route = this.routes.get(path);
		if (!route) {
			res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
			res.end('<html><body>404 页面不存在</body></html>');
			return;
		}
		if (typeof route === 'function') return route(req, res);
		const body = typeof route.body === 'string' ? Buffer.from(route.body, 'utf8') : Buffer.from(route.body ?? new Uint8Array());
		res.writeHead(route.status ?? 200, { 'content-length': String(body.length), ...route.headers });
		res.end(body);
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** Smallest gap between consecutive requests, in ms (Infinity with fewer than two). */
export function minGapMs(requests: SiteRequest[]): number {
	let min = Infinity;
	for (let i = 1; i < requests.length; i++) min = Math.min(min, requests[i].at - requests[i - 1].at);
	return min;
}

/** Run `fetch` in a child process without blocking this one (the test sites live here). */
export function runFetchCli(args: string[], opts: { onStderr?: (chunk: string, kill: (sig: NodeJS.Signals) => void) => void } = {}) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'fetch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
	child.stderr.setEncoding('utf8').on('data', (c: string) => {
		stderr += c;
		opts.onStderr?.(c, (sig) => child.kill(sig));
	});
	const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
	);
	return { child, done };
}

// ---- the test government site ------------------------------------------

/** Bytes that start like a PDF / DOCX and are not UTF-8 text. */
export function fakePdf(label: string): Uint8Array {
	return Uint8Array.from([...Buffer.from(`%PDF-1.4\n%${label}\n`), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a, ...Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
}

export function fakeDocx(label: string): Uint8Array {
	return Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, ...Buffer.from(`word/document.xml ${label}`), 0x00, 0xff, 0xfe]);
}

export interface SiteReport {
	/** The generated truth. */
	record: ReportRecord;
	bytes: Uint8Array;
	/** Path on the main site. */
	path: string;
	/** The path the list links, when it redirects to `path`. */
	linkPath?: string;
	/** As the list shows it. */
	title: string;
	published: string;
	encoding: 'utf-8' | 'gbk';
}

export interface GovSite {
	main: TestSite;
	files: TestSite;
	outside: TestSite;
	/** Generated HTML reports: every one should be saved and ingested. */
	reports: SiteReport[];
	/** The report whose content is in attachments. */
	attachmentReport: { path: string; title: string; pdf: Uint8Array; docx: Uint8Array; directPdf: Uint8Array; directTitle: string };
	/** Start URLs: a TRS column, a 下一页 column, a single report page. */
	starts: string[];
	/** Paths the crawler must never request. */
	neverRequested: string[];
	/** Whether the streamed oversized attachment was cut off by the client. */
	streamed: { finished: boolean; closedEarly: boolean };
	/** How often the slow page was asked for. */
	slowHits: () => number;
	/** Publish a new report at the top of the first list page, as CMSs do. */
	publish: (path: string, title: string, date: string, bytes: Uint8Array) => void;
}

const html = (title: string, body: string, charset = 'utf-8') =>
	`<!DOCTYPE html>\n<html><head><meta charset="${charset}"><title>${title}</title></head><body>${body}</body></html>`;

function listItem(href: string, title: string, date: string, titleAttr?: string) {
	return `<li><a href="${href}" target="_blank"${titleAttr ? ` title="${titleAttr}"` : ''}>${title}</a><span class="date">${date}</span></li>`;
}

const NAV =
	'<div class="nav"><a href="/">首页</a> <a href="/zfxxgk/">政府信息公开</a> <a href="/zfxxgk/ysqgk/">依申请公开</a> <a href="/gknb/index.html">政府信息公开年报</a></div>';

/**
 * The main site (127.0.0.1:A), a file server (B) that report pages link
 * attachments to, and an outside site (C) that only a list links to.
 */
export async function startGovSite(): Promise<GovSite> {
	const [main, files, outside] = await Promise.all([TestSite.start(), TestSite.start(), TestSite.start()]);

	const gen = (seed: number, year: number, encoding: 'utf-8' | 'gbk', path: string, published: string): SiteReport => {
		const g = generateReport(seed, { format: 'html', encoding, index: seed, year, htmlStyle: seed % 2 ? 'word' : 'plain' });
		return { record: g.record, bytes: g.bytes, path, title: `${g.record.agency}${year}年政府信息公开工作年度报告`, published, encoding };
	};
	const r1 = gen(101, 2023, 'utf-8', '/gknb/202401/t20240120_101.html', '2024-01-20');
	const r2 = gen(102, 2022, 'gbk', '/gknb/202301/t20230115_102.shtml', '2023-01-15');
	const r3 = gen(103, 2021, 'gbk', '/gknb/202201/t20220118_103.html', '2022-01-18');
	const r4 = gen(104, 2023, 'utf-8', '/column2/2024/r104.html', '2024-02-01');
	const r5 = gen(105, 2022, 'utf-8', '/column2/2023/r105.html', '2023-02-01');
	const r6 = gen(106, 2020, 'utf-8', '/gknb/slow/t20210125_106.html', '2021-01-25');
	const single = gen(107, 2024, 'gbk', '/zfxxgk/single/t20250120_107.html', '');
	const reports = [r1, r2, r3, r4, r5, r6, single];

	main.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /private/\n\nUser-agent: SomeOtherBot\nDisallow: /\n' });
	const serve = (r: SiteReport, contentType: string) => main.set(r.path, { headers: { 'content-type': contentType }, body: r.bytes });
	serve(r1, 'text/html; charset=utf-8');
	serve(r2, 'text/html'); // charset only in <meta>
	serve(r3, 'text/html; charset=GBK');
	serve(r4, 'text/html; charset=utf-8');
	serve(r5, 'text/html; charset=utf-8');
	serve(single, 'text/html');

	// The slow page: the first request hangs past the client's time-out, the retry is answered.
	let slowHits = 0;
	main.set(r6.path, (_req, res) => {
		slowHits++;
		const send = () => {
			if (res.destroyed) return;
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(r6.bytes.length) });
			res.end(Buffer.from(r6.bytes));
		};
		if (slowHits === 1) setTimeout(send, 3000);
		else send();
	});

	// A report whose numbers are in attachments: a PDF here, a DOCX on the file server.
	const pdf = fakePdf('attachment-report-2023');
	const docx = fakeDocx('attachment-report-2023');
	const attTitle = '样例市交通运输局2023年政府信息公开工作年度报告';
	const attPath = '/gknb/202402/t20240201_900.html';
	main.set(attPath, {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html(
			`${attTitle}_样例市人民政府`,
			`${NAV}<h1>${attTitle}</h1><div class="content"><p>现将本机关2023年政府信息公开工作年度报告全文公布如下，详见附件。</p>
<img src="/gknb/images/cover.png" alt="封面">
<p>附件：<a href="../files/2023-report.pdf">样例市交通运输局2023年年度报告.pdf</a></p>
<p><a href="${files.url('/upload/2024/report-2023.docx')}">报告（Word 版）</a></p>
<p><a href="/gknb/files/statistics-2023.xls">统计表</a></p>
<p><a href="/gknb/files/scan-2023.pdf">扫描件</a></p>
<p><a href="/gknb/files/login.pdf">（需要登录）</a></p></div>`
		)
	});
	main.set('/gknb/files/2023-report.pdf', { headers: { 'content-type': 'application/pdf' }, body: pdf });
	files.set('/upload/2024/report-2023.docx', {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('交通运输局2023年报告.docx')}`
		},
		body: docx
	});
	// Oversized: one says so in Content-Length, the other streams without one until stopped.
	main.set('/gknb/files/statistics-2023.xls', (_req, res) => {
		res.writeHead(200, { 'content-type': 'application/vnd.ms-excel', 'content-length': String(1024 * 1024 * 1024) });
		res.write(Buffer.alloc(1024, 1));
		setTimeout(() => res.destroy(), 2000);
	});
	const streamed = { finished: false, closedEarly: false };
	main.set('/gknb/files/scan-2023.pdf', (_req, res) => {
		res.writeHead(200, { 'content-type': 'application/pdf' });
		const chunk = Buffer.alloc(64 * 1024, 0x25);
		let sent = 0;
		const total = 16 * 1024 * 1024;
		res.on('close', () => {
			if (sent < total) streamed.closedEarly = true;
		});
		const pump = () => {
			while (sent < total && !res.destroyed) {
				sent += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			if (!res.destroyed) {
				streamed.finished = true;
				res.end();
			}
		};
		pump();
	});
	main.set('/gknb/files/login.pdf', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: html('请登录', '<form>用户名 密码</form>') });

	// A list entry that links the report PDF directly.
	const directPdf = fakePdf('direct-2022');
	const directTitle = '样例市交通运输局2022年政府信息公开年报';
	main.set('/gknb/files/2022.pdf', { headers: { 'content-type': 'application/pdf' }, body: directPdf });

	// Bad cases.
	main.set('/gknb/loop/a.html', { status: 302, headers: { location: 'b.html' } });
	main.set('/gknb/loop/b.html', { status: 301, headers: { location: '/gknb/loop/a.html' } });
	main.set('/gknb/news/t1.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html('样例市召开工作会议', `${NAV}<h1>样例市召开2023年度工作会议</h1><p>会议总结了全年工作。</p>`)
	});
	main.set('/gknb/img/t2.html', {
		headers: { 'content-type': 'image/png' },
		body: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
	});

	// Column 1 (TRS CMS): index.html, index_1.html, index_2.html via createPageHTML; page 2 is GBK.
	const trsPager = (current: number) =>
		`<div class="page"><script>var currentPage = ${current};var countPage = 3;\ncreatePageHTML(countPage, currentPage, "index", "html");</script></div>`;
	const firstList = (newest = '') => ({
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html(
			'政府信息公开年报_样例市人民政府',
			`${NAV}<ul class="list">${newest}
${listItem('./202401/t20240120_101.html', r1.title, r1.published)}
${listItem(main.url(r2.path), `${r2.title.slice(0, 12)}…`, r2.published, r2.title)}
${listItem('./jd/t20240121_1.html', `图文解读：${r1.title}`, '2024-01-21')}
${listItem('./bn/t20220725_1.html', '2022年上半年政府信息公开数据统计', '2022-07-25')}
${listItem('./202101/gone.html', '样例市审计局2020年政府信息公开工作年度报告', '2021-01-30')}
${listItem(outside.url('/mirror/report.html'), '样例市财政局2023年政府信息公开工作年度报告', '2024-01-25')}
${listItem('./201601/t20160120_1.html', '样例市审计局2015年政府信息公开工作年度报告', '2016-01-20')}
</ul>${trsPager(0)}`
		)
	});
	main.set('/gknb/index.html', firstList());
	main.set('/gknb/index_1.html', {
		headers: { 'content-type': 'text/html' }, // GBK, declared only in <meta>
		body: encodeDocument(
			html(
				'政府信息公开年报_样例市人民政府',
				`${NAV}<table>
<tr><td><a href="202201/t20220118_103.html">${r3.title}</a></td><td>${r3.published}</td></tr>
<tr><td><a href="${attPath}">${attTitle}</a></td><td>2024-02-01</td></tr>
<tr><td><a href="files/2022.pdf">${directTitle}</a></td><td>2023年01月30日</td></tr>
<tr><td><a href="/private/t20230101_5.html">样例市保密局2022年政府信息公开工作年度报告</a></td><td>2023-01-01</td></tr>
<tr><td><a href="loop/a.html">样例市档案局2021年政府信息公开工作年度报告</a></td><td>2022-01-10</td></tr>
</table>${trsPager(1)}`,
				'gbk'
			),
			'gbk'
		)
	});
	main.set('/gknb/index_2.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html(
			'政府信息公开年报_样例市人民政府',
			`${NAV}<ul>
${listItem('slow/t20210125_106.html', r6.title, r6.published)}
${listItem('news/t1.html', '样例市文化局2023年度报告', '2024-01-05')}
${listItem('img/t2.html', '样例市民政局2023年政府信息公开工作年度报告（图片版）', '2024-01-06')}
</ul>${trsPager(2)}`
		)
	});

	// Column 2: 下一页 links and plain page numbers.
	const pager2 = (next?: string) =>
		`<div class="pages"><a href="list.html">1</a> <a href="list_2.html">2</a> <a href="list_3.html">3</a>${next ? ` <a href="${next}">下一页</a>` : ''} <a href="/">首页</a></div>`;
	main.set('/column2/list.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html('信息公开年报', `${NAV}<ul>${listItem('2024/r104.html', r4.title, r4.published)}</ul>${pager2('list_2.html')}`)
	});
	// r5 is linked through a redirect (a CMS's short link).
	r5.linkPath = '/column2/go/105';
	main.set(r5.linkPath, { status: 302, headers: { location: '/column2/2023/r105.html' } });
	main.set('/column2/list_2.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html('信息公开年报', `<ul>${listItem(r5.linkPath, r5.title, r5.published)}</ul>${pager2('list_3.html')}`)
	});
	main.set('/column2/list_3.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html('信息公开年报', `<ul><li>暂无更多</li></ul>${pager2()}`)
	});

	return {
		main,
		files,
		outside,
		reports,
		attachmentReport: { path: attPath, title: attTitle, pdf, docx, directPdf, directTitle },
		starts: [main.url('/gknb/index.html'), main.url('/column2/list.html'), main.url(single.path)],
		neverRequested: [
			'/gknb/jd/t20240121_1.html',
			'/gknb/bn/t20220725_1.html',
			'/private/t20230101_5.html',
			'/gknb/201601/t20160120_1.html',
			'/',
			'/gknb/images/cover.png',
			'/zfxxgk/prev/index.html'
		],
		streamed,
		slowHits: () => slowHits,
		publish: (path, title, date, bytes) => {
			main.set(path, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: bytes });
			main.set('/gknb/index.html', firstList(listItem(path.replace('/gknb/', ''), title, date)));
		}
	};
}

// ---- a hostile site --------------------------------------------------------

/** A body that never ends: one byte every `everyMs` until the client hangs up. */
export function dripping(contentType: string, everyMs: number): Handler {
	return (_req, res) => {
		res.writeHead(200, { 'content-type': contentType });
		const timer = setInterval(() => res.write('%'), everyMs);
		res.on('close', () => clearInterval(timer));
	};
}

export interface HostileSite {
	main: TestSite;
	files: TestSite;
	start: string;
	/** Titles of the list's entries, by role. */
	titles: Record<'linksFile' | 'redirectsAway' | 'hostileName' | 'malformed' | 'drips' | 'blocked' | 'escaped', string>;
	/** Paths on the file host that a report page links. */
	linkedFiles: string[];
}

const reportPage = (title: string, body: string) =>
	html(title, `<h1>${title}</h1><div class="content"><p>现将本机关2023年政府信息公开工作年度报告全文公布如下，详见附件。</p>${body}</div>`);

/**
 * A list whose entries each try something: a file host linked from one
 * report page, then redirects to that host from other URLs; a malformed
 * %-escape; a Content-Disposition name with NUL, slashes and a newline; an
 * attachment that drips; titles and a robots.txt rule with escape sequences.
 */
export async function startHostileSite(): Promise<HostileSite> {
	const [main, files] = await Promise.all([TestSite.start(), TestSite.start()]);
	const report = (seed: number) => generateReport(seed, { format: 'html', encoding: 'utf-8', index: seed, year: 2023 }).bytes;
	const titles = {
		linksFile: '样例市甲局2023年政府信息公开工作年度报告',
		redirectsAway: '样例市乙局2023年政府信息公开工作年度报告',
		hostileName: '样例市丙局2023年政府信息公开工作年度报告',
		malformed: '样例市戊局2023年政府信息公开工作年度报告',
		drips: '样例市己局2023年政府信息公开工作年度报告',
		blocked: '样例市统计局2023年政府信息公开工作年度报告',
		escaped: '图文解读：\x1b]0;pwned\x07样例市辛局2023年政府信息公开工作年度报告'
	};
	const page = (body: string, title: string) => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: reportPage(title, body) });
	const pdf = { headers: { 'content-type': 'application/pdf' }, body: fakePdf('hostile') };

	main.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /private%1b[31m/\n' });
	main.set('/h/index.html', {
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: html(
			'政府信息公开年报',
			`<ul>
${listItem('r1.html', titles.linksFile, '2024-01-10')}
${listItem('r2.html', titles.redirectsAway, '2024-01-11')}
${listItem('c.pdf', '样例市丁局2022年政府信息公开年报', '2024-01-12')}
${listItem('go/r', '样例市庚局2023年政府信息公开工作年度报告', '2024-01-13')}
${listItem('r5.html', titles.hostileName, '2024-01-14')}
${listItem('f1/%E4%B8.html', titles.malformed, '2024-01-15')}
${listItem('r3.html', titles.drips, '2024-01-16')}
${listItem('r4.html', titles.blocked, '2024-01-17')}
${listItem('gone.html', '样例市\x1b[31m壬局2023年政府信息公开工作年度报告', '2024-01-18')}
${listItem('jd.html', titles.escaped, '2024-01-19')}
${listItem('/private%1b[31m/x.html', '样例市癸局2023年政府信息公开工作年度报告', '2024-01-20')}
</ul>`
		)
	});
	// The one file host link; afterwards, redirects into that host from other URLs.
	main.set('/h/r1.html', page(`<a href="${files.url('/a.pdf')}">报告.pdf</a>`, titles.linksFile));
	files.set('/a.pdf', pdf);
	main.set('/h/r2.html', page('<a href="/h/b.pdf">报告.pdf</a>', titles.redirectsAway));
	main.set('/h/b.pdf', { status: 302, headers: { location: files.url('/secret.pdf') } });
	main.set('/h/c.pdf', { status: 302, headers: { location: files.url('/c.pdf') } });
	main.set('/h/go/r', { status: 302, headers: { location: files.url('/r.html') } });
	for (const p of ['/secret.pdf', '/c.pdf']) files.set(p, pdf);
	files.set('/r.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: report(301) });
	// A server-chosen name that tries to leave the folder and break the line.
	main.set('/h/r5.html', page(`<a href="${files.url('/cd.pdf')}">报告.pdf</a>`, titles.hostileName));
	files.set('/cd.pdf', {
		headers: { 'content-type': 'application/pdf', 'content-disposition': "attachment; filename*=UTF-8''..%00%2F..%2Fpwn%0a4.pdf" },
		body: fakePdf('cd')
	});
	main.set('/h/f1/%E4%B8.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: report(302) });
	main.set('/h/r3.html', page('<a href="/h/drip.pdf">报告.pdf</a>', titles.drips));
	main.set('/h/drip.pdf', dripping('application/pdf', 100));
	main.set('/h/r4.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: report(303) });
	return { main, files, start: main.url('/h/index.html'), titles, linkedFiles: ['/a.pdf', '/cd.pdf'] };
}
