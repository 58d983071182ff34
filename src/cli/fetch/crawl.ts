/**
 * The walk: start URLs → list pages (with their pagination) → report
 * entries → report pages and their attachments, saved into the store.
 * Sequential on purpose: one request at a time is the politest crawler, and
 * the order of the manifest follows the order of the site.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHtml, documentExtOfType, isDocumentExt, isImageExt, looksLikeHtml, mediaType, reportEvidence, responseFileName, urlExtension } from './content';
import type { Failure, Http, Served } from './http';
import { linkTitle, parsePage, squash, type PageLink, type ParsedPage } from './links';
import { MAX_LIST_PAGES, paginationUrls } from './pagination';
import type { FetchProgress } from './counts';
import type { ManifestLine, Store } from './store';
import { SKIP_REASONS, classifyTitle } from './titles';

export interface CrawlOptions {
	since?: number;
	max?: number;
	refresh: boolean;
	maxBytes: number;
}

/** A report as a list shows it. */
export interface Entry {
	url: URL;
	title: string;
	published: string | null;
	referrer: string | null;
}

interface Attachment {
	url: URL;
	text: string;
}

/** Failures that are decisions (not worth retrying on the next run) are recorded as skipped. */
const SKIP_CODES = new Set(['robots', 'off_site', 'too_large']);

/** Same site: equal host names, or equal but for a leading "www.". */
export function sameSite(a: string, b: string): boolean {
	const strip = (h: string) => h.toLowerCase().replace(/^www\./, '');
	return strip(a) === strip(b);
}

/** The report-looking part of a page title ("…年度报告_某某门户网站" → "…年度报告"). */
export function pageReportTitle(page: ParsedPage): string {
	for (const h of page.headings) if (classifyTitle(h).kind === 'report') return h;
	const parts = page.title.split(/\s*[_|｜—–]\s*|\s+-\s+/).filter(Boolean);
	return parts.find((p) => classifyTitle(p).kind === 'report') ?? parts[0] ?? page.headings[0] ?? '';
}

/** Document links of a report page (by URL or by link text such as "附件：报告.pdf"). */
export function documentLinks(page: ParsedPage): Attachment[] {
	const out: Attachment[] = [];
	const seen = new Set<string>();
	for (const l of page.links) {
		if (!l.url || seen.has(l.url.href)) continue;
		const textExt = /\.([A-Za-z]{3,4})\s*$/.exec(l.text)?.[1].toLowerCase() ?? '';
		if (isDocumentExt(urlExtension(l.url)) || (l.tag === 'a' && isDocumentExt(textExt))) {
			seen.add(l.url.href);
			out.push({ url: l.url, text: linkTitle(l) });
		}
	}
	return out;
}

/** Images shown or linked on a report page: listed, not downloaded. */
export function imageLinks(page: ParsedPage): Attachment[] {
	const out: Attachment[] = page.images.map((url) => ({ url, text: '' }));
	const seen = new Set(out.map((a) => a.url.href));
	for (const l of page.links) {
		if (l.tag === 'a' && l.url && !seen.has(l.url.href) && isImageExt(urlExtension(l.url))) {
			seen.add(l.url.href);
			out.push({ url: l.url, text: l.text });
		}
	}
	return out;
}

/** A saved page keeps its own name when it has an HTML extension; otherwise name.html. */
export function pageFileName(url: URL): string {
	const seg = decodeURIComponent(url.pathname.split('/').pop() ?? '');
	if (/\.(html?|shtml|xhtml)$/i.test(seg)) return seg;
	const base = seg.replace(/\.[A-Za-z0-9]{1,5}$/, '');
	return `${base || 'index'}.html`;
}

class Stop extends Error {}

export class Crawler {
	/** Hosts the user named (and where their URLs redirect on the same site). */
	private readonly namedHosts = new Set<string>();
	/** Hosts serving files that report pages link to. */
	private readonly fileHosts = new Set<string>();
	private readonly seenEntries = new Set<string>();
	private fetchedThisRun = 0;
	/** One line per failure of this run, for the summary. */
	readonly failures: string[] = [];
	stoppedAtMax = false;
	/** Start URLs that led to a list or a report. */
	usableStarts = 0;

	constructor(
		private readonly http: Http,
		private readonly store: Store,
		private readonly progress: FetchProgress,
		private readonly o: CrawlOptions
	) {}

	private get counts() {
		return this.progress.counts;
	}

	private readonly named = (host: string) => this.namedHosts.has(host);
	private readonly namedOrFiles = (host: string) => this.namedHosts.has(host) || this.fileHosts.has(host);

	async run(urls: URL[]): Promise<void> {
		for (const u of urls) this.namedHosts.add(u.host);
		try {
			for (const u of urls) await this.start(u);
		} catch (e) {
			if (!(e instanceof Stop)) throw e;
			this.stoppedAtMax = true;
		}
	}

	// ---- recording -------------------------------------------------------

	private async record(line: Omit<ManifestLine, 'final_url' | 'status' | 'fetched_at' | 'content_type' | 'sha256' | 'bytes'> & Partial<ManifestLine>): Promise<void> {
		await this.store.append({
			url: line.url,
			final_url: line.final_url ?? null,
			status: line.status ?? null,
			fetched_at: line.fetched_at ?? null,
			content_type: line.content_type ?? null,
			sha256: line.sha256 ?? null,
			bytes: line.bytes ?? null,
			title: line.title,
			published: line.published,
			kind: line.kind,
			...(line.of ? { of: line.of } : {}),
			...(line.code ? { code: line.code } : {}),
			...(line.reason ? { reason: line.reason } : {}),
			...(line.file ? { file: line.file } : {}),
			...(line.report ? { report: line.report } : {}),
			...(line.referrer ? { referrer: line.referrer } : {}),
			...(line.link_text ? { link_text: line.link_text } : {}),
			...(line.max_bytes ? { max_bytes: line.max_bytes } : {})
		});
	}

	private served(s: Served): Partial<ManifestLine> {
		return { final_url: s.finalUrl, status: s.status, fetched_at: s.fetchedAt, content_type: s.contentType, sha256: s.sha256, bytes: s.size };
	}

	/** A fetch that did not work: a one-line message and a manifest line. */
	private async failed(url: URL, of: 'list' | 'page' | 'attachment', f: Failure, ctx: { title: string | null; published: string | null; referrer: string | null; report?: string }): Promise<void> {
		const skip = SKIP_CODES.has(f.code);
		const kind = skip ? 'skipped' : 'failed';
		// Decisions made without a request (robots.txt, another host) are logged once, not every run.
		const unfetched = f.code === 'robots' || (f.code === 'off_site' && f.status === undefined);
		const fresh = !(unfetched && this.store.recorded(url.href, kind, f.code));
		if (skip) this.counts.skipped++;
		else {
			this.counts.failed++;
			this.failures.push(`${url.href}: ${f.reason}`);
		}
		if (fresh) this.progress.log(`${skip ? '-' : '✗'} ${url.href}: ${f.reason}`);
		this.progress.update();
		if (!fresh) return;
		await this.record({
			url: url.href,
			final_url: f.finalUrl ?? null,
			status: f.status ?? null,
			fetched_at: unfetched || f.code === 'host_given_up' ? null : f.fetchedAt,
			title: ctx.title,
			published: ctx.published,
			kind,
			of,
			code: f.code,
			reason: f.reason,
			report: ctx.report,
			referrer: ctx.referrer ?? undefined,
			max_bytes: f.code === 'too_large' ? this.o.maxBytes : undefined
		});
	}

	/** Passed over after looking (not a report, not HTML …). */
	private async skipped(url: URL, of: 'list' | 'page' | 'attachment', code: string, reason: string, ctx: { title: string | null; published: string | null; referrer: string | null; report?: string }, s?: Served): Promise<void> {
		this.counts.skipped++;
		this.progress.update();
		if (!s && this.store.recorded(url.href, 'skipped', code)) return;
		this.progress.log(`- ${url.href}: ${reason}`);
		await this.record({ url: url.href, ...(s ? this.served(s) : {}), title: ctx.title, published: ctx.published, kind: 'skipped', of, code, reason, report: ctx.report, referrer: ctx.referrer ?? undefined });
	}

	// ---- start URLs ------------------------------------------------------

	private async start(url: URL): Promise<void> {
		const r = await this.http.get(url, { kind: 'memory' }, (host) => this.named(host) || sameSite(host, url.host));
		if (!r.ok) {
			const f = r.failure;
			if (f.code === 'off_site') f.reason = `重定向到其他站点，未跟随 (redirects to ${new URL(f.finalUrl ?? url.href).host}; name that URL instead if it is the same site)`;
			await this.failed(url, 'list', f, { title: null, published: null, referrer: null });
			return;
		}
		const s = r.served;
		const final = new URL(s.finalUrl);
		this.namedHosts.add(final.host);
		const bytes = s.bytes!;
		if (!looksLikeHtml(s.contentType, bytes)) {
			const ext = documentExtOfType(s.contentType) ?? (isDocumentExt(urlExtension(final)) ? urlExtension(final) : undefined);
			if (ext) {
				this.usableStarts++;
				const title = responseFileName(final, s.contentDisposition, ext).replace(/\.[^.]+$/, '');
				await this.saveDocument({ url, title, published: null, referrer: null }, s, ext);
				return;
			}
			await this.skipped(url, 'list', 'not_html', `期望 HTML，实际是 ${mediaType(s.contentType) || '未知类型'} (expected an HTML list or report page)`, { title: null, published: null, referrer: null }, s);
			return;
		}
		const page = parsePage(decodeHtml(bytes, s.contentType), final);
		const entries = this.entriesOf(page);
		const pagination = paginationUrls(page.script, page.links, final);
		const evidence = reportEvidence(page.text);
		const titleIsReport = classifyTitle(pageReportTitle(page)).kind === 'report';
		if (evidence === 'tables' || (titleIsReport && entries.length === 0 && (evidence || documentLinks(page).length > 0))) {
			this.usableStarts++;
			const entry: Entry = { url, title: pageReportTitle(page) || final.href, published: null, referrer: null };
			await this.entry(entry, { served: s, page });
			return;
		}
		if (entries.length === 0 && pagination.length === 0) {
			await this.skipped(url, 'list', 'not_a_report', '没有找到年度报告链接，也不是报告页面 (no annual-report links, no pagination, and not a report page)', { title: page.title || null, published: null, referrer: null }, s);
			return;
		}
		this.usableStarts++;
		await this.walkList(url, s, page);
	}

	// ---- lists -----------------------------------------------------------

	/** Report entries of a list page; 解读, half-year and --since entries are recorded as skipped. */
	private entriesOf(page: ParsedPage): { link: PageLink; title: string; kind: ReturnType<typeof classifyTitle> }[] {
		const out: { link: PageLink; title: string; kind: ReturnType<typeof classifyTitle> }[] = [];
		const seen = new Set<string>();
		for (const l of page.links) {
			if (l.tag !== 'a' || !l.url || seen.has(l.url.href)) continue;
			const title = linkTitle(l);
			const kind = classifyTitle(title);
			if (kind.kind === 'other') continue;
			seen.add(l.url.href);
			out.push({ link: l, title, kind });
		}
		return out;
	}

	private async walkList(startUrl: URL, first: Served, firstPage: ParsedPage): Promise<void> {
		const visited = new Set([startUrl.href, first.finalUrl]);
		const queue: { url: URL; served?: Served; page?: ParsedPage; referrer: string | null }[] = [{ url: startUrl, served: first, page: firstPage, referrer: null }];
		while (queue.length) {
			const item = queue.shift()!;
			let { served, page } = item;
			if (!served || !page) {
				const r = await this.http.get(item.url, { kind: 'memory' }, this.named);
				if (!r.ok) {
					await this.failed(item.url, 'list', r.failure, { title: null, published: null, referrer: item.referrer });
					continue;
				}
				served = r.served;
				visited.add(served.finalUrl);
				if (!looksLikeHtml(served.contentType, served.bytes!)) {
					await this.skipped(item.url, 'list', 'not_html', `期望 HTML 列表页，实际是 ${mediaType(served.contentType) || '未知类型'} (expected an HTML list page)`, { title: null, published: null, referrer: item.referrer }, served);
					continue;
				}
				page = parsePage(decodeHtml(served.bytes!, served.contentType), new URL(served.finalUrl));
			}
			const pageUrl = new URL(served.finalUrl);
			this.counts.listed++;
			const entries = this.entriesOf(page);
			const reports = entries.filter((e) => e.kind.kind === 'report').length;
			this.progress.log(`列表页 list page ${this.counts.listed}: ${item.url.href}（${reports} 份报告 reports）`);
			if (!this.store.recorded(item.url.href, 'list', undefined, served.sha256)) {
				await this.record({ url: item.url.href, ...this.served(served), title: page.title || null, published: null, kind: 'list', referrer: item.referrer ?? undefined });
			}
			for (const next of paginationUrls(page.script, page.links, pageUrl)) {
				if (next.host !== pageUrl.host || visited.has(next.href) || visited.size >= MAX_LIST_PAGES) continue;
				visited.add(next.href);
				queue.push({ url: next, referrer: pageUrl.href });
			}
			for (const e of entries) {
				await this.listEntry(e.link, e.title, e.kind, pageUrl);
			}
		}
	}

	private async listEntry(link: PageLink, title: string, kind: ReturnType<typeof classifyTitle>, listUrl: URL): Promise<void> {
		const url = link.url!;
		if (this.seenEntries.has(url.href)) return;
		this.seenEntries.add(url.href);
		const ctx = { title, published: link.listedDate, referrer: listUrl.href };
		if (kind.kind !== 'report') {
			if (kind.kind === 'other') return;
			await this.skipped(url, 'page', kind.kind, `${SKIP_REASONS[kind.kind]}：${title}`, ctx);
			return;
		}
		if (this.o.since !== undefined && kind.year !== undefined && kind.year < this.o.since) {
			await this.skipped(url, 'page', 'before_since', `${kind.year} 年早于 --since ${this.o.since} (before --since)：${title}`, ctx);
			return;
		}
		await this.entry({ url, title, published: link.listedDate, referrer: listUrl.href });
	}

	// ---- reports ---------------------------------------------------------

	/** One report: its page (or document) and attachments. `prefetched` for a start URL already read. */
	private async entry(e: Entry, prefetched?: { served: Served; page: ParsedPage }): Promise<void> {
		this.counts.found++;
		this.progress.update();
		const ctx = { title: e.title, published: e.published, referrer: e.referrer, report: e.url.href };
		if (!this.o.refresh) {
			const done = this.store.settled(e.url.href, this.o.maxBytes);
			if (done) {
				if (done.kind === 'skipped') this.counts.skipped++;
				else this.counts.already++;
				// An earlier run may have saved the page but not all its attachments.
				if (done.kind === 'page' && done.file) await this.attachmentsOfSaved(e, done);
				return;
			}
		}
		if (this.o.max !== undefined && this.fetchedThisRun >= this.o.max) throw new Stop();
		this.fetchedThisRun++;

		const ext = urlExtension(e.url);
		if (!prefetched && isDocumentExt(ext)) {
			// The list links the report file itself: that file's host is a file host.
			this.fileHosts.add(e.url.host);
			const tmp = this.store.tempPath();
			const r = await this.http.get(e.url, { kind: 'file', path: tmp }, this.namedOrFiles);
			if (!r.ok) return this.failed(e.url, 'page', r.failure, ctx);
			await this.saveDocument(e, r.served, ext, tmp);
			return;
		}
		if (!this.named(e.url.host)) {
			return this.failed(e.url, 'page', { code: 'off_site', reason: `在其他站点 ${e.url.host}，未访问 (on another site; not contacted)`, fetchedAt: new Date().toISOString() }, ctx);
		}
		let s = prefetched?.served;
		if (!s) {
			const r = await this.http.get(e.url, { kind: 'memory' }, this.named);
			if (!r.ok) return this.failed(e.url, 'page', r.failure, ctx);
			s = r.served;
		}
		const bytes = s.bytes!;
		if (!looksLikeHtml(s.contentType, bytes)) {
			const docExt = documentExtOfType(s.contentType);
			if (docExt) return this.saveDocument(e, s, docExt);
			return this.skipped(e.url, 'page', 'not_html', `期望 HTML 报告页，实际是 ${mediaType(s.contentType) || '未知类型'} (expected an HTML report page)`, ctx, s);
		}
		const final = new URL(s.finalUrl);
		const page = prefetched?.page ?? parsePage(decodeHtml(bytes, s.contentType), final);
		const docs = documentLinks(page);
		if (!reportEvidence(page.text) && docs.length === 0) {
			return this.skipped(e.url, 'page', 'not_a_report', `不是报告：页面没有报告内容也没有附件 (not a report: no report text and no attachments)`, ctx, s);
		}
		const folder = this.store.folderFor(e.title, e.url.href);
		const file = this.store.fileFor(folder, pageFileName(final), e.url.href);
		await this.store.writeFile(file, bytes);
		await this.record({ url: e.url.href, ...this.served(s), title: e.title, published: e.published, kind: 'page', file, report: e.url.href, referrer: e.referrer ?? undefined });
		this.counts.downloaded++;
		this.progress.log(`✓ ${file}`);
		await this.attachments(e, folder, page, docs);
	}

	/** A report that is a document (the list links a PDF, or the page URL serves one). */
	private async saveDocument(e: Entry, s: Served, ext: string, tmp?: string): Promise<void> {
		const ctx = { title: e.title, published: e.published, referrer: e.referrer, report: e.url.href };
		const head = tmp ? await readHead(tmp) : s.bytes!;
		if (looksLikeHtml(s.contentType, head)) {
			if (tmp) await rm(tmp, { force: true });
			return this.skipped(e.url, 'page', 'not_a_document', `链接指向文件，实际返回网页 (a document link that served an HTML page: an error or login page?)`, ctx, s);
		}
		const folder = this.store.folderFor(e.title, e.url.href);
		const name = responseFileName(new URL(s.finalUrl), s.contentDisposition, ext);
		const file = this.store.fileFor(folder, withDocumentExt(name, ext), e.url.href);
		if (tmp) await this.store.place(tmp, file);
		else await this.store.writeFile(file, s.bytes!);
		await this.record({ url: e.url.href, ...this.served(s), title: e.title, published: e.published, kind: 'attachment', file, report: e.url.href, referrer: e.referrer ?? undefined });
		this.counts.downloaded++;
		this.counts.attachments++;
		this.progress.log(`✓ ${file}`);
	}

	private async attachmentsOfSaved(e: Entry, line: ManifestLine): Promise<void> {
		const pending = (list: Attachment[]) => list.some((a) => this.o.refresh || !this.store.settled(a.url.href, this.o.maxBytes));
		let page: ParsedPage;
		try {
			const bytes = await readFile(join(this.store.dir, ...line.file!.split('/')));
			page = parsePage(decodeHtml(bytes, line.content_type), new URL(line.final_url ?? line.url));
		} catch {
			return;
		}
		const docs = documentLinks(page);
		if (!pending(docs) && !pending(imageLinks(page))) return;
		const folder = line.file!.slice(0, line.file!.lastIndexOf('/'));
		await this.attachments(e, folder, page, docs);
	}

	/** Download the page's documents into its folder; list its images. */
	private async attachments(e: Entry, folder: string, page: ParsedPage, docs: Attachment[]): Promise<void> {
		for (const d of docs) {
			const ctx = { title: e.title, published: e.published, referrer: e.url.href, report: e.url.href };
			if (!this.o.refresh && this.store.settled(d.url.href, this.o.maxBytes)) continue;
			this.fileHosts.add(d.url.host);
			const tmp = this.store.tempPath();
			const r = await this.http.get(d.url, { kind: 'file', path: tmp }, this.namedOrFiles);
			if (!r.ok) {
				await this.failed(d.url, 'attachment', r.failure, ctx);
				continue;
			}
			const s = r.served;
			const head = await readHead(tmp);
			if (looksLikeHtml(s.contentType, head)) {
				await rm(tmp, { force: true });
				await this.skipped(d.url, 'attachment', 'not_a_document', `附件链接返回网页，未保存 (the attachment link served an HTML page: an error or login page?)`, ctx, s);
				continue;
			}
			const ext = documentExtOfType(s.contentType) ?? (urlExtension(new URL(s.finalUrl)) || urlExtension(d.url));
			const name = responseFileName(new URL(s.finalUrl), s.contentDisposition, ext);
			const file = this.store.fileFor(folder, withDocumentExt(name, isDocumentExt(ext) ? ext : urlExtension(d.url)), d.url.href);
			await this.store.place(tmp, file);
			await this.record({ url: d.url.href, ...this.served(s), title: e.title, published: e.published, kind: 'attachment', file, report: e.url.href, referrer: e.url.href, link_text: squash(d.text) || undefined });
			this.counts.attachments++;
			this.progress.log(`✓ ${file}`);
		}
		for (const img of imageLinks(page)) {
			if (this.store.recorded(img.url.href, 'image-listed')) continue;
			await this.record({ url: img.url.href, title: e.title, published: e.published, kind: 'image-listed', report: e.url.href, referrer: e.url.href, link_text: squash(img.text) || undefined });
			this.counts.images++;
		}
		this.progress.update();
	}
}

/** The first KB of a file, to tell a document from an HTML error page. */
async function readHead(path: string): Promise<Uint8Array> {
	const fh = await open(path, 'r');
	try {
		const buf = new Uint8Array(1024);
		const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
		return buf.subarray(0, bytesRead);
	} finally {
		await fh.close();
	}
}

/** Keep the server's name, but make sure it ends in the document's extension. */
function withDocumentExt(name: string, ext: string): string {
	if (!ext) return name;
	const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
	if (m && isDocumentExt(m[1].toLowerCase())) return name;
	return `${name.replace(/\.(jsp|php|aspx?|do|action|cgi)$/i, '')}.${ext}`;
}
