/**
 * GET with everything a polite crawler owes a site: robots.txt, per-host
 * spacing, a time-out per wait and a deadline per request, retries with
 * back-off, redirects followed by hand (limit 10, loops named), a size limit
 * that stops reading.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { ALLOW_ALL, ROBOTS_MAX_BYTES, checkRobots, disallowAll, parseRobots, policyFor, robotsText, type RobotsPolicy } from './robots';
import { HostClock, HostHealth, MAX_RETRIES, MAX_RETRY_AFTER_MS, backoffMs, isRetryableStatus, retryAfterMs, sleep } from './politeness';

export const PRODUCT_TOKEN = 'Nianbao';
export const MAX_REDIRECTS = 10;

export type FailCode =
	| 'not_found'
	| 'http_status'
	| 'timeout'
	| 'network'
	| 'redirect_loop'
	| 'too_many_redirects'
	| 'off_site'
	| 'robots'
	| 'too_large'
	| 'host_given_up'
	| 'too_slow'
	/** Not a fetch failure: the crawler could not process what it got (see Crawler.guarded). */
	| 'error';

export interface Served {
	url: string;
	finalUrl: string;
	status: number;
	contentType: string | null;
	contentDisposition: string | null;
	fetchedAt: string;
	size: number;
	sha256: string;
	/** The body, for a memory or head sink. */
	bytes?: Uint8Array;
	/** A head sink stopped reading at the size limit. */
	truncated?: boolean;
}

export interface Failure {
	code: FailCode;
	/** One line, Chinese then English. */
	reason: string;
	status?: number;
	finalUrl?: string;
	fetchedAt: string;
}

export type Outcome = { ok: true; served: Served } | { ok: false; failure: Failure };

/**
 * Where a body goes: kept in memory (pages), streamed to a file
 * (attachments), or its first bytes kept up to the size limit and the rest
 * left unread (robots.txt: a larger one is read in part, not refused).
 */
export type Sink = { kind: 'memory' } | { kind: 'head' } | { kind: 'file'; path: string };

export interface HttpOptions {
	userAgent: string;
	/** An e-mail address for the From header, if the user gave one. */
	from?: string;
	/** Longest wait for the next bytes of a response. */
	timeoutMs: number;
	/** Longest a request may take in all, however steadily it drips. */
	deadlineMs: number;
	maxBytes: number;
	/** First retry waits this long, then twice, four times as long. */
	retryBaseMs: number;
	clock: HostClock;
	health: HostHealth;
	/** Aborted on Ctrl-C: every wait and request stops. */
	signal: AbortSignal;
	/** Plain-line notes: retries, giving up on a host, robots.txt trouble. */
	note: (line: string) => void;
	/** Called as each request goes out. */
	onRequest?: (url: URL) => void;
}

type Once =
	| { kind: 'done'; served: Served }
	| { kind: 'redirect'; location: string; status: number }
	| { kind: 'retry'; reason: string; code: FailCode; status?: number; retryAfterMs?: number }
	| { kind: 'fail'; failure: Failure };

export function fmtBytes(n: number): string {
	if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
	if (n >= 1024) return `${Math.round(n / 1024)} KB`;
	return `${n} B`;
}

function seconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(2))} s`;
}

function statusReason(status: number, statusText: string): string {
	if (status === 404 || status === 410) return `HTTP ${status}：页面不存在 (not found)`;
	if (status === 403) return `HTTP 403：拒绝访问 (forbidden; the site may block crawlers)`;
	return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
}

export class Http {
	private readonly robots = new Map<string, Promise<RobotsPolicy>>();
	private readonly announcedDown = new Set<string>();
	constructor(private readonly o: HttpOptions) {}

	/** The run was interrupted (Ctrl-C): whatever failed after this failed because of it. */
	get aborted(): boolean {
		return this.o.signal.aborted;
	}

	private headers(): Record<string, string> {
		const h: Record<string, string> = {
			'user-agent': this.o.userAgent,
			accept:
				'text/html,application/xhtml+xml,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.8',
			'accept-language': 'zh-CN,zh;q=0.9'
		};
		if (this.o.from) h.from = this.o.from;
		return h;
	}

	/**
	 * GET `url`, following redirects while `allowHost` agrees; every hop is
	 * checked against its host's robots.txt. A file sink is removed on failure.
	 */
	async get(url: URL, sink: Sink, allowHost: (host: string) => boolean, maxBytes = this.o.maxBytes): Promise<Outcome> {
		const chain = [url.href];
		let current = url;
		for (;;) {
			const now = new Date().toISOString();
			const fail = (code: FailCode, reason: string, status?: number): Outcome => ({
				ok: false,
				failure: { code, reason, status, finalUrl: current.href, fetchedAt: now }
			});
			if (!allowHost(current.host)) return fail('off_site', `不在指定站点内，未访问 (${current.host} is not one of the named sites; not contacted)`);
			if (this.o.health.isDown(current.host)) return fail('host_given_up', `已放弃该主机 (gave up on ${current.host} after repeated failures)`);
			const policy = await this.robotsFor(current);
			const verdict = checkRobots(policy, current);
			if (!verdict.allowed) {
				const why = policy.unreachable ?? verdict.rule ?? '';
				return fail('robots', `robots.txt 不允许 (disallowed by robots.txt${why ? `: ${why}` : ''})`);
			}
			const r = await this.attempts(current, sink, maxBytes);
			if (r.kind === 'fail') return { ok: false, failure: { ...r.failure, finalUrl: current.href } };
			if (r.kind === 'done') return { ok: true, served: { ...r.served, url: url.href } };
			let next: URL;
			try {
				next = new URL(r.location, current);
				next.hash = '';
			} catch {
				return fail('http_status', `HTTP ${r.status}：重定向地址无效 (bad Location: ${r.location})`, r.status);
			}
			if (chain.includes(next.href)) {
				const loop = [...chain.slice(chain.indexOf(next.href)), next.href].map((u) => new URL(u).pathname).join(' → ');
				return fail('redirect_loop', `重定向循环 (redirect loop: ${loop})`, r.status);
			}
			if (chain.length > MAX_REDIRECTS) return fail('too_many_redirects', `重定向超过 ${MAX_REDIRECTS} 次 (more than ${MAX_REDIRECTS} redirects)`, r.status);
			chain.push(next.href);
			current = next;
		}
	}

	/** One URL, retried on time-outs, 5xx, 429 and dropped connections. */
	private async attempts(url: URL, sink: Sink, maxBytes: number): Promise<Exclude<Once, { kind: 'retry' }>> {
		const host = url.host;
		for (let attempt = 0; ; attempt++) {
			await this.o.clock.wait(host, this.o.signal);
			const fetchedAt = new Date().toISOString();
			let r: Once;
			try {
				r = await this.once(url, sink, maxBytes, fetchedAt);
			} finally {
				this.o.clock.release(host);
			}
			if (r.kind !== 'retry') {
				this.o.health.ok(host);
				return r;
			}
			if (this.o.health.fail(host) && !this.announcedDown.has(host)) {
				this.announcedDown.add(host);
				this.o.note(
					`✗ 放弃主机 ${host}：连续 ${this.o.health.limitOf()} 次失败 (giving up on ${host} for this run after repeated time-outs / server errors; its other URLs are skipped and retried next run)`
				);
			}
			const retriesLeft = attempt < MAX_RETRIES && !this.o.health.isDown(host);
			if (!retriesLeft) {
				const tries = attempt === 0 ? '' : `，重试 ${attempt} 次后 (after ${attempt} retr${attempt === 1 ? 'y' : 'ies'})`;
				return { kind: 'fail', failure: { code: r.code, reason: `${r.reason}${tries}`, status: r.status, fetchedAt } };
			}
			const wait = Math.max(backoffMs(attempt + 1, this.o.retryBaseMs), Math.min(r.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
			this.o.note(`↻ ${url.href}: ${r.reason}; ${seconds(wait)} 后重试 (retry ${attempt + 1}/${MAX_RETRIES} in ${seconds(wait)})`);
			await sleep(wait, this.o.signal);
		}
	}

	private async once(url: URL, sink: Sink, maxBytes: number, fetchedAt: string): Promise<Once> {
		const { signal: run, timeoutMs, deadlineMs } = this.o;
		const ctrl = new AbortController();
		let timedOut = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const arm = () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				timedOut = true;
				ctrl.abort(new Error('timeout'));
			}, timeoutMs);
		};
		// The time-out above restarts with every chunk; this one does not, so a body that drips never hangs the run.
		let pastDeadline = false;
		const deadline = setTimeout(() => {
			pastDeadline = true;
			ctrl.abort(new Error('deadline'));
		}, deadlineMs);
		const onRunAbort = () => ctrl.abort(run.reason);
		run.addEventListener('abort', onRunAbort, { once: true });
		let file: Awaited<ReturnType<typeof open>> | undefined;
		let keepFile = false;
		const failure = (code: FailCode, reason: string, status?: number): Once => ({ kind: 'fail', failure: { code, reason, status, fetchedAt } });
		try {
			arm();
			this.o.onRequest?.(url);
			const res = await fetch(url, { redirect: 'manual', signal: ctrl.signal, headers: this.headers() });
			const status = res.status;
			if (status >= 300 && status < 400 && status !== 304) {
				await res.body?.cancel().catch(() => {});
				const location = res.headers.get('location');
				if (!location) return failure('http_status', `HTTP ${status}：重定向缺少 Location (redirect without Location)`, status);
				return { kind: 'redirect', location, status };
			}
			if (isRetryableStatus(status)) {
				await res.body?.cancel().catch(() => {});
				return {
					kind: 'retry',
					code: 'http_status',
					reason: statusReason(status, res.statusText),
					status,
					retryAfterMs: retryAfterMs(res.headers.get('retry-after'))
				};
			}
			if (status < 200 || status >= 300) {
				await res.body?.cancel().catch(() => {});
				return failure(status === 404 || status === 410 ? 'not_found' : 'http_status', statusReason(status, res.statusText), status);
			}
			const declared = Number(res.headers.get('content-length') ?? NaN);
			const tooLarge = (what: string): Once =>
				failure('too_large', `文件过大，未下载 (larger than --max-bytes ${fmtBytes(maxBytes)}: ${what}; not saved)`, status);
			if (Number.isFinite(declared) && declared > maxBytes && sink.kind !== 'head') {
				await res.body?.cancel().catch(() => {});
				return tooLarge(`Content-Length ${fmtBytes(declared)}`);
			}
			const hash = createHash('sha256');
			const chunks: Uint8Array[] = [];
			let size = 0;
			let truncated = false;
			if (sink.kind === 'file') file = await open(sink.path, 'w');
			if (res.body) {
				const reader = res.body.getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					arm(); // the time-out is per wait: a large file that keeps arriving is not slow
					let chunk = value;
					if (size + chunk.byteLength > maxBytes) {
						await reader.cancel().catch(() => {});
						ctrl.abort(new Error('too large'));
						if (sink.kind !== 'head') return tooLarge(`stopped reading after ${fmtBytes(size + chunk.byteLength)}`);
						chunk = chunk.subarray(0, maxBytes - size);
						truncated = true;
					}
					size += chunk.byteLength;
					hash.update(chunk);
					if (file) await file.write(chunk);
					else chunks.push(chunk);
					if (truncated) break;
				}
			}
			clearTimeout(timer);
			clearTimeout(deadline);
			if (file) {
				await file.close();
				file = undefined;
				keepFile = true;
			}
			const served: Served = {
				url: url.href,
				finalUrl: url.href,
				status,
				contentType: res.headers.get('content-type'),
				contentDisposition: res.headers.get('content-disposition'),
				fetchedAt,
				size,
				sha256: hash.digest('hex')
			};
			if (sink.kind !== 'file') served.bytes = concat(chunks, size);
			if (truncated) served.truncated = true;
			return { kind: 'done', served };
		} catch (e) {
			if (run.aborted) throw run.reason;
			// Not retried: a server this slow would only hold the run up again.
			if (pastDeadline) return failure('too_slow', `超过单个文件总时限 (not finished within --max-time ${seconds(deadlineMs)}; not retried this run)`);
			if (timedOut) return { kind: 'retry', code: 'timeout', reason: `超时 (no response within ${seconds(timeoutMs)})` };
			const cause = (e as { cause?: { code?: string; message?: string } }).cause;
			const detail = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
			return { kind: 'retry', code: 'network', reason: `连接失败 (connection failed: ${detail})` };
		} finally {
			clearTimeout(timer);
			clearTimeout(deadline);
			run.removeEventListener('abort', onRunAbort);
			await file?.close().catch(() => {});
			if (sink.kind === 'file' && !keepFile) await rm(sink.path, { force: true });
		}
	}

	/** The robots.txt policy for a URL's origin, fetched once per run. */
	robotsFor(url: URL): Promise<RobotsPolicy> {
		const key = url.origin;
		let p = this.robots.get(key);
		if (!p) {
			p = this.loadRobots(url);
			this.robots.set(key, p);
		}
		return p;
	}

	private async loadRobots(url: URL): Promise<RobotsPolicy> {
		let current = new URL('/robots.txt', url.origin);
		for (let hop = 0; hop <= 5; hop++) {
			if (this.o.health.isDown(current.host)) return disallowAll(`robots.txt unreachable (gave up on ${current.host})`);
			const r = await this.attempts(current, { kind: 'head' }, ROBOTS_MAX_BYTES);
			if (r.kind === 'redirect') {
				let next: URL;
				try {
					next = new URL(r.location, current);
				} catch {
					return ALLOW_ALL;
				}
				// Only the same host name (http → https, a port): robots.txt elsewhere is not this site's.
				if (next.hostname !== url.hostname) return ALLOW_ALL;
				current = next;
				continue;
			}
			if (r.kind === 'done') {
				const policy = policyFor(parseRobots(robotsText(r.served.bytes!, !!r.served.truncated)), PRODUCT_TOKEN);
				if (policy.crawlDelay !== undefined) this.o.clock.slowDown(url.host, policy.crawlDelay * 1000);
				return policy;
			}
			const f = r.failure;
			// 4xx: no usable rules, everything allowed (RFC 9309 §2.3.1.3).
			if (f.code === 'not_found' || (f.status !== undefined && f.status >= 400 && f.status < 500)) return ALLOW_ALL;
			// Unreachable (5xx, time-outs, no connection): assume complete disallow (§2.3.1.4).
			this.o.note(`✗ ${current.href}: ${f.reason} — 按 RFC 9309 视为全部禁止 (robots.txt unreachable: treating ${url.host} as disallowed)`);
			return disallowAll(`robots.txt unreachable: ${f.reason}`);
		}
		return ALLOW_ALL;
	}
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
	const out = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}
