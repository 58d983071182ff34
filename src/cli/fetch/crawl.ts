/**
 * The walk: start URLs → list pages (with their pagination) → report
 * entries → report pages and their attachments, saved into the store.
 * Sequential on purpose: one request at a time is the politest crawler, and
 * the order of the manifest follows the order of the site. One walk on
 * purpose (past 400 lines): list, entry and attachment steps share its state;
 * the page helpers, the record keeping and HTTP live in their own modules.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHtml, documentExtOfType, isDocumentExt, looksLikeHtml, mediaType, reportEvidence, responseFileName, urlExtension } from './content';
import type { Http, Served } from './http';
import { linkTitle, parsePage, squash, type PageLink, type ParsedPage } from './links';
import { Ledger, type Context, type UrlRole } from './ledger';
import { MAX_LIST_PAGES, paginationUrls } from './pagination';
import type { FetchProgress } from './counts';
import { documentLinks, imageLinks, pageFileName, pageReportTitle, withDocumentExt, type Attachment } from './report-page';
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

/** A list page to read; the first one arrives already read. */
interface ListItem {
	url: URL;
	served?: Served;
	page?: ParsedPage;
	referrer: string | null;
}

/** One list's walk through its pagination. */
interface ListWalk {
	start: URL;
	visited: Set<string>;
	queue: ListItem[];
	/** Pages queued so far, the first included. */
	queued: number;
	/** The first page past MAX_LIST_PAGES, if the list goes on. */
	beyondCap?: { url: URL; referrer: string };
}

/** Same site: equal host names, or equal but for a leading "www.". */
export function sameSite(a: string, b: string): boolean {
	const strip = (h: string) => h.toLowerCase().replace(/^www\./, '');
	return strip(a) === strip(b);
}

class Stop extends Error {}

export class Crawler {
	/** Hosts the user named (and where their URLs redirect on the same site). */
	private readonly namedHosts = new Set<string>();
	private readonly seenEntries = new Set<string>();
	private fetchedThisRun = 0;
	stoppedAtMax = false;
	/** Start URLs that led to a list or a report. */
	usableStarts = 0;

	private readonly ledger: Ledger;

	constructor(
		private readonly http: Http,
		private readonly store: Store,
		private readonly progress: FetchProgress,
		private readonly o: CrawlOptions
	) {
		this.ledger = new Ledger(store, progress, o.maxBytes);
	}

	private get counts() {
		return this.progress.counts;
	}

	/** One line per failure of this run, for the summary. */
	get failures(): readonly string[] {
		return this.ledger.failures;
	}

	/** Limits the run ran into, for the summary. */
	get notices(): readonly string[] {
		return this.ledger.notices;
	}

	private readonly named = (host: string) => this.namedHosts.has(host);

	/**
	 * Hosts a document fetch may contact: the named sites and the document's
	 * own host. A report page's link vouches for that one URL (and where it
	 * redirects on its host), never for other URLs on its host.
	 */
	private documentHosts(doc: URL): (host: string) => boolean {
		return (host) => this.named(host) || host === doc.host;
	}

	async run(urls: URL[]): Promise<void> {
		for (const u of urls) this.namedHosts.add(u.host);
		const none = { title: null, published: null, referrer: null };
		try {
			for (const u of urls) await this.guarded(u, 'list', none, () => this.start(u));
		} catch (e) {
			if (!(e instanceof Stop)) throw e;
			this.stoppedAtMax = true;
		}
	}

	/**
	 * Work on one URL; an error no check foresaw becomes that URL's failed
	 * line and the crawl goes on. A failed line is retried next run, so it
	 * must not be a crash that comes back every run either.
	 */
	private async guarded(url: URL, of: UrlRole, ctx: Context, work: () => Promise<void>): Promise<void> {
		try {
			await work();
		} catch (e) {
			if (e instanceof Stop || this.http.aborted) throw e;
			const why = e instanceof Error ? e.message : String(e);
			await this.ledger.failed(
				url,
				of,
				{ code: 'error', reason: `处理出错，已跳过 (could not process this URL: ${why})`, fetchedAt: new Date().toISOString() },
				ctx
			);
		}
	}

	// ---- start URLs ------------------------------------------------------

	private async start(url: URL): Promise<void> {
		const r = await this.http.get(url, { kind: 'memory' }, (host) => this.named(host) || sameSite(host, url.host));
		if (!r.ok) {
			const f = r.failure;
			if (f.code === 'off_site')
				f.reason = `重定向到其他站点，未跟随 (redirects to ${new URL(f.finalUrl ?? url.href).host}; name that URL instead if it is the same site)`;
			await this.ledger.failed(url, 'list', f, { title: null, published: null, referrer: null });
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
			await this.ledger.skipped(
				url,
				'list',
				'not_html',
				`期望 HTML，实际是 ${mediaType(s.contentType) || '未知类型'} (expected an HTML list or report page)`,
				{ title: null, published: null, referrer: null },
				s
			);
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
			await this.ledger.skipped(
				url,
				'list',
				'not_a_report',
				'没有找到年度报告链接，也不是报告页面 (no annual-report links, no pagination, and not a report page)',
				{ title: page.title || null, published: null, referrer: null },
				s
			);
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

	/** A list and its pagination, page by page, up to MAX_LIST_PAGES pages. */
	private async walkList(startUrl: URL, first: Served, firstPage: ParsedPage): Promise<void> {
		const walk: ListWalk = { start: startUrl, visited: new Set([startUrl.href, first.finalUrl]), queue: [], queued: 1 };
		await this.listPage(walk, { url: startUrl, served: first, page: firstPage, referrer: null });
		while (walk.queue.length) {
			const item = walk.queue.shift()!;
			await this.guarded(item.url, 'list', { title: null, published: null, referrer: item.referrer }, () => this.listPage(walk, item));
		}
		if (walk.beyondCap) await this.ledger.listCapped(walk.start, MAX_LIST_PAGES, walk.beyondCap);
	}

	private async listPage(walk: ListWalk, item: ListItem): Promise<void> {
		let { served, page } = item;
		if (!served || !page) {
			const r = await this.http.get(item.url, { kind: 'memory' }, this.named);
			if (!r.ok) return this.ledger.failed(item.url, 'list', r.failure, { title: null, published: null, referrer: item.referrer });
			served = r.served;
			walk.visited.add(served.finalUrl);
			if (!looksLikeHtml(served.contentType, served.bytes!)) {
				return this.ledger.skipped(
					item.url,
					'list',
					'not_html',
					`期望 HTML 列表页，实际是 ${mediaType(served.contentType) || '未知类型'} (expected an HTML list page)`,
					{ title: null, published: null, referrer: item.referrer },
					served
				);
			}
			page = parsePage(decodeHtml(served.bytes!, served.contentType), new URL(served.finalUrl));
		}
		const pageUrl = new URL(served.finalUrl);
		this.counts.listed++;
		const entries = this.entriesOf(page);
		const reports = entries.filter((e) => e.kind.kind === 'report').length;
		this.ledger.log(`列表页 list page ${this.counts.listed}: ${item.url.href}（${reports} 份报告 reports）`);
		if (!this.store.recorded(item.url.href, 'list', undefined, served.sha256)) {
			await this.ledger.record({
				url: item.url.href,
				...this.ledger.served(served),
				title: page.title || null,
				published: null,
				kind: 'list',
				referrer: item.referrer ?? undefined
			});
		}
		for (const next of paginationUrls(page.script, page.links, pageUrl)) {
			if (next.host !== pageUrl.host || walk.visited.has(next.href)) continue;
			if (walk.queued >= MAX_LIST_PAGES) {
				walk.beyondCap ??= { url: next, referrer: pageUrl.href };
				continue;
			}
			walk.visited.add(next.href);
			walk.queued++;
			walk.queue.push({ url: next, referrer: pageUrl.href });
		}
		for (const e of entries) {
			const ctx = { title: e.title, published: e.link.listedDate, referrer: pageUrl.href };
			await this.guarded(e.link.url!, 'page', ctx, () => this.listEntry(e.link, e.title, e.kind, pageUrl));
		}
	}

	private async listEntry(link: PageLink, title: string, kind: ReturnType<typeof classifyTitle>, listUrl: URL): Promise<void> {
		const url = link.url!;
		if (this.seenEntries.has(url.href)) return;
		this.seenEntries.add(url.href);
		const ctx = { title, published: link.listedDate, referrer: listUrl.href };
		if (kind.kind !== 'report') {
			if (kind.kind === 'other') return;
			await this.ledger.skipped(url, 'page', kind.kind, `${SKIP_REASONS[kind.kind]}：${title}`, ctx);
			return;
		}
		if (this.o.since !== undefined && kind.year !== undefined && kind.year < this.o.since) {
			await this.ledger.skipped(url, 'page', 'before_since', `${kind.year} 年早于 --since ${this.o.since} (before --since)：${title}`, ctx);
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
			// The list links the report file itself: the link vouches for that file, as a report page's does.
			const tmp = this.store.tempPath();
			const r = await this.http.get(e.url, { kind: 'file', path: tmp }, this.documentHosts(e.url));
			if (!r.ok) return this.ledger.failed(e.url, 'page', r.failure, ctx);
			await this.saveDocument(e, r.served, ext, tmp);
			return;
		}
		if (!this.named(e.url.host)) {
			return this.ledger.failed(
				e.url,
				'page',
				{ code: 'off_site', reason: `在其他站点 ${e.url.host}，未访问 (on another site; not contacted)`, fetchedAt: new Date().toISOString() },
				ctx
			);
		}
		let s = prefetched?.served;
		if (!s) {
			const r = await this.http.get(e.url, { kind: 'memory' }, this.named);
			if (!r.ok) return this.ledger.failed(e.url, 'page', r.failure, ctx);
			s = r.served;
		}
		const bytes = s.bytes!;
		if (!looksLikeHtml(s.contentType, bytes)) {
			const docExt = documentExtOfType(s.contentType);
			if (docExt) return this.saveDocument(e, s, docExt);
			return this.ledger.skipped(
				e.url,
				'page',
				'not_html',
				`期望 HTML 报告页，实际是 ${mediaType(s.contentType) || '未知类型'} (expected an HTML report page)`,
				ctx,
				s
			);
		}
		const final = new URL(s.finalUrl);
		const page = prefetched?.page ?? parsePage(decodeHtml(bytes, s.contentType), final);
		const docs = documentLinks(page);
		if (!reportEvidence(page.text) && docs.length === 0) {
			return this.ledger.skipped(
				e.url,
				'page',
				'not_a_report',
				`不是报告：页面没有报告内容也没有附件 (not a report: no report text and no attachments)`,
				ctx,
				s
			);
		}
		const folder = this.store.folderFor(e.title, e.url.href);
		const file = this.store.fileFor(folder, pageFileName(final), e.url.href);
		await this.store.writeFile(file, bytes);
		await this.ledger.record({
			url: e.url.href,
			...this.ledger.served(s),
			title: e.title,
			published: e.published,
			kind: 'page',
			file,
			report: e.url.href,
			referrer: e.referrer ?? undefined
		});
		this.counts.downloaded++;
		this.ledger.log(`✓ ${file}`);
		await this.attachments(e, folder, page, docs);
	}

	/** A report that is a document (the list links a PDF, or the page URL serves one). */
	private async saveDocument(e: Entry, s: Served, ext: string, tmp?: string): Promise<void> {
		const ctx = { title: e.title, published: e.published, referrer: e.referrer, report: e.url.href };
		const head = tmp ? await readHead(tmp) : s.bytes!;
		if (looksLikeHtml(s.contentType, head)) {
			if (tmp) await rm(tmp, { force: true });
			return this.ledger.skipped(
				e.url,
				'page',
				'not_a_document',
				`链接指向文件，实际返回网页 (a document link that served an HTML page: an error or login page?)`,
				ctx,
				s
			);
		}
		const folder = this.store.folderFor(e.title, e.url.href);
		await this.recordAttachment(e, { url: e.url, served: s, tmp, folder, ext, referrer: e.referrer ?? undefined });
		this.counts.downloaded++;
	}

	/**
	 * Save a document into the report's folder and record it as an attachment:
	 * one the list links itself (saveDocument) or one a report page links (attachment).
	 */
	private async recordAttachment(
		e: Entry,
		d: { url: URL; served: Served; tmp?: string; folder: string; ext: string; nameExt?: string; referrer?: string; linkText?: string }
	): Promise<void> {
		const s = d.served;
		// nameExt: the extension a served name without one gets, where it differs from the saved file's.
		const name = responseFileName(new URL(s.finalUrl), s.contentDisposition, d.nameExt ?? d.ext);
		const file = this.store.fileFor(d.folder, withDocumentExt(name, d.ext), d.url.href);
		if (d.tmp) await this.store.place(d.tmp, file);
		else await this.store.writeFile(file, s.bytes!);
		await this.ledger.record({
			url: d.url.href,
			...this.ledger.served(s),
			title: e.title,
			published: e.published,
			kind: 'attachment',
			file,
			report: e.url.href,
			referrer: d.referrer,
			link_text: d.linkText
		});
		this.counts.attachments++;
		this.ledger.log(`✓ ${file}`);
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
			await this.guarded(d.url, 'attachment', ctx, () => this.attachment(e, folder, d, ctx));
		}
		for (const img of imageLinks(page)) {
			if (this.store.recorded(img.url.href, 'image-listed')) continue;
			await this.ledger.record({
				url: img.url.href,
				title: e.title,
				published: e.published,
				kind: 'image-listed',
				report: e.url.href,
				referrer: e.url.href,
				link_text: squash(img.text) || undefined
			});
			this.counts.images++;
		}
		this.progress.update();
	}

	private async attachment(e: Entry, folder: string, d: Attachment, ctx: Context): Promise<void> {
		const tmp = this.store.tempPath();
		const r = await this.http.get(d.url, { kind: 'file', path: tmp }, this.documentHosts(d.url));
		if (!r.ok) return this.ledger.failed(d.url, 'attachment', r.failure, ctx);
		const s = r.served;
		const head = await readHead(tmp);
		if (looksLikeHtml(s.contentType, head)) {
			await rm(tmp, { force: true });
			return this.ledger.skipped(
				d.url,
				'attachment',
				'not_a_document',
				`附件链接返回网页，未保存 (the attachment link served an HTML page: an error or login page?)`,
				ctx,
				s
			);
		}
		const ext = documentExtOfType(s.contentType) ?? (urlExtension(new URL(s.finalUrl)) || urlExtension(d.url));
		await this.recordAttachment(e, {
			url: d.url,
			served: s,
			tmp,
			folder,
			ext: isDocumentExt(ext) ? ext : urlExtension(d.url),
			nameExt: ext,
			referrer: e.url.href,
			linkText: squash(d.text) || undefined
		});
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
