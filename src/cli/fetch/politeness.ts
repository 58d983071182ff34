/**
 * Being a good guest: one request per host per interval, retries that back
 * off, and giving up on a host that keeps failing.
 */

/** Retries after the first attempt, on time-outs, 5xx, 429 and dropped connections. */
export const MAX_RETRIES = 3;
/** Consecutive failed attempts after which a host is left alone for the rest of the run. */
export const HOST_FAILURE_LIMIT = 2 * (MAX_RETRIES + 1);
/** A Retry-After longer than this is not waited for. */
export const MAX_RETRY_AFTER_MS = 120_000;
/** A robots.txt Crawl-delay longer than this is capped. */
export const MAX_CRAWL_DELAY_MS = 60_000;

/** Resolves after `ms`, or rejects when the run is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0 && !signal?.aborted) return Promise.resolve();
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(t);
			reject(signal!.reason);
		};
		const t = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * Spacing of requests per host: the next request starts no sooner than
 * `spacing` after the previous one started and after its response ended
 * (so the site sees gaps of at least `spacing`, whatever the network does).
 * Slots are reserved before waiting, so concurrent callers queue up.
 */
export class HostClock {
	private readonly nextFree = new Map<string, number>();
	private readonly spacing = new Map<string, number>();
	constructor(
		private readonly defaultSpacingMs: number,
		private readonly now: () => number = () => performance.now()
	) {}

	/** A host asked for a longer gap (robots.txt Crawl-delay). */
	slowDown(host: string, ms: number): void {
		this.spacing.set(host, Math.max(this.defaultSpacingMs, Math.min(ms, MAX_CRAWL_DELAY_MS)));
	}

	spacingOf(host: string): number {
		return this.spacing.get(host) ?? this.defaultSpacingMs;
	}

	/** How long to wait before the next request to `host`; reserves that slot. */
	reserve(host: string): number {
		const now = this.now();
		const at = Math.max(now, this.nextFree.get(host) ?? now);
		this.nextFree.set(host, at + this.spacingOf(host));
		return at - now;
	}

	async wait(host: string, signal?: AbortSignal): Promise<void> {
		await sleep(this.reserve(host), signal);
	}

	/** The request to `host` is over: count the gap from now. */
	release(host: string): void {
		const next = this.now() + this.spacingOf(host);
		if (next > (this.nextFree.get(host) ?? 0)) this.nextFree.set(host, next);
	}
}

/** Wait before retry `attempt` (1-based): base, 2·base, 4·base … */
export function backoffMs(attempt: number, baseMs: number): number {
	return baseMs * 2 ** (attempt - 1);
}

/** Retry-After as seconds or an HTTP date → milliseconds from now. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
	if (!header) return undefined;
	const s = header.trim();
	if (/^\d+$/.test(s)) return Number(s) * 1000;
	const t = Date.parse(s);
	return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs);
}

/** Statuses worth another try. */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status <= 599);
}

/** Consecutive failures per host; past the limit the host is given up for this run. */
export class HostHealth {
	private readonly failures = new Map<string, number>();
	private readonly down = new Set<string>();
	constructor(private readonly limit = HOST_FAILURE_LIMIT) {}

	limitOf(): number {
		return this.limit;
	}

	/** Record a failed attempt; true when this one made us give up on the host. */
	fail(host: string): boolean {
		if (this.down.has(host)) return false;
		const n = (this.failures.get(host) ?? 0) + 1;
		this.failures.set(host, n);
		if (n >= this.limit) {
			this.down.add(host);
			return true;
		}
		return false;
	}

	ok(host: string): void {
		this.failures.set(host, 0);
	}

	isDown(host: string): boolean {
		return this.down.has(host);
	}
}
