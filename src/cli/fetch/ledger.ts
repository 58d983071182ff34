/**
 * What a crawl writes down about each URL: its manifest line, the counters,
 * one terminal line (escaped: the words are the site's), and the summary's
 * failures and notices.
 */
import type { Failure, Served } from './http';
import type { FetchProgress } from './counts';
import type { ManifestLine, Store } from './store';
import { escapeControls } from '../terminal';

/** What a manifest line says about where a URL came from. */
export interface Context {
	title: string | null;
	published: string | null;
	referrer: string | null;
	report?: string;
}

export type UrlRole = 'list' | 'page' | 'attachment';

/** Failures that are decisions (not worth retrying on the next run) are recorded as skipped. */
const SKIP_CODES = new Set(['robots', 'off_site', 'too_large']);

type NewLine = Omit<ManifestLine, 'final_url' | 'status' | 'fetched_at' | 'content_type' | 'sha256' | 'bytes'> & Partial<ManifestLine>;

export class Ledger {
	/** One line per failure of this run, for the summary. */
	readonly failures: string[] = [];
	/** Limits the run ran into (a list cut at its page cap), for the summary. */
	readonly notices: string[] = [];

	constructor(
		private readonly store: Store,
		private readonly progress: FetchProgress,
		private readonly maxBytes: number
	) {}

	get counts() {
		return this.progress.counts;
	}

	/** A line for the terminal. */
	log(line: string): void {
		this.progress.log(escapeControls(line));
	}

	async record(line: NewLine): Promise<void> {
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

	served(s: Served): Partial<ManifestLine> {
		return { final_url: s.finalUrl, status: s.status, fetched_at: s.fetchedAt, content_type: s.contentType, sha256: s.sha256, bytes: s.size };
	}

	/** A fetch that did not work: a one-line message and a manifest line. */
	async failed(url: URL, of: UrlRole, f: Failure, ctx: Context): Promise<void> {
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
		if (fresh) this.log(`${skip ? '-' : '✗'} ${url.href}: ${f.reason}`);
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
			max_bytes: f.code === 'too_large' ? this.maxBytes : undefined
		});
	}

	/** Passed over after looking (not a report, not HTML …). */
	async skipped(url: URL, of: UrlRole, code: string, reason: string, ctx: Context, s?: Served): Promise<void> {
		this.counts.skipped++;
		this.progress.update();
		if (!s && this.store.recorded(url.href, 'skipped', code)) return;
		this.log(`- ${url.href}: ${reason}`);
		await this.record({
			url: url.href,
			...(s ? this.served(s) : {}),
			title: ctx.title,
			published: ctx.published,
			kind: 'skipped',
			of,
			code,
			reason,
			report: ctx.report,
			referrer: ctx.referrer ?? undefined
		});
	}

	/** A list longer than the cap: said on every run, recorded once, against the first page not read. */
	async listCapped(list: URL, cap: number, first: { url: URL; referrer: string }): Promise<void> {
		const reason = `列表超过 ${cap} 页，只读了前 ${cap} 页 (the list ${list.href} has more than ${cap} pages; stopped at the cap of ${cap} pages, later pages not read)`;
		this.notices.push(reason);
		this.counts.skipped++;
		this.log(`! ${reason}`);
		if (this.store.recorded(first.url.href, 'skipped', 'page_cap')) return;
		await this.record({ url: first.url.href, title: null, published: null, kind: 'skipped', of: 'list', code: 'page_cap', reason, referrer: first.referrer });
	}
}
