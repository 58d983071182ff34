/**
 * `fetch URL... [--out DIR]`: collect annual reports from the sites named,
 * politely and resumably, into a folder `ingest` reads.
 */
import { resolve } from 'node:path';
import { Crawler } from './crawl';
import { Http, PRODUCT_TOKEN, fmtBytes } from './http';
import { HostClock, HostHealth } from './politeness';
import { FetchProgress, emptyCounts, statusLine } from './counts';
import { MANIFEST_NAME, Store } from './store';
import { escapeControls } from '../terminal';

const USAGE =
	'usage: cli fetch URL... [--out DIR] [--since YEAR] [--max N] [--refresh] [--rate SECONDS] [--max-bytes N] [--timeout SECONDS] [--max-time SECONDS] [--contact EMAIL|URL] [--quiet]';

export interface FetchOptions {
	urls: URL[];
	out: string;
	since?: number;
	max?: number;
	refresh: boolean;
	rateSeconds: number;
	maxBytes: number;
	timeoutSeconds: number;
	/** Longest one request may take in all (the time-out is per wait). */
	maxTimeSeconds: number;
	contact?: string;
	quiet: boolean;
}

export const DEFAULTS = { out: 'reports', rateSeconds: 1, maxBytes: 50 * 1024 * 1024, timeoutSeconds: 30, maxTimeSeconds: 300 };

/** "50MB", "200k", "1048576" → bytes. */
export function parseByteSize(s: string): number | undefined {
	const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(s.trim());
	if (!m) return undefined;
	const unit = (m[2] ?? 'b').toLowerCase()[0];
	const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
	return Number.isFinite(n) && n >= 1 ? Math.floor(n) : undefined;
}

export function parseFetchArgs(args: string[]): FetchOptions | string {
	const o: FetchOptions = {
		urls: [],
		out: DEFAULTS.out,
		refresh: false,
		rateSeconds: DEFAULTS.rateSeconds,
		maxBytes: DEFAULTS.maxBytes,
		timeoutSeconds: DEFAULTS.timeoutSeconds,
		maxTimeSeconds: DEFAULTS.maxTimeSeconds,
		quiet: false
	};
	for (let i = 0; i < args.length; i++) {
		let a = args[i];
		let value: string | undefined;
		const eq = a.indexOf('=');
		if (a.startsWith('--') && eq > 0) {
			value = a.slice(eq + 1);
			a = a.slice(0, eq);
		}
		const next = () => value ?? args[++i] ?? '';
		switch (a) {
			case '--out':
				o.out = next();
				if (!o.out) return '--out 需要一个目录 (a folder)';
				break;
			case '--since': {
				const v = next();
				o.since = Number(v);
				if (!/^\d{4}$/.test(v) || o.since < 1990 || o.since > 2100) return `--since 需要一个年份 (a year such as 2020), not "${v}"`;
				break;
			}
			case '--max': {
				const v = next();
				o.max = Number(v);
				if (!/^\d+$/.test(v) || o.max < 1) return `--max 需要一个正整数 (a positive number of reports), not "${v}"`;
				break;
			}
			case '--rate': {
				const v = next();
				o.rateSeconds = Number(v);
				if (!v || !Number.isFinite(o.rateSeconds) || o.rateSeconds <= 0) return `--rate 需要正数秒 (seconds between requests to one host, e.g. 1), not "${v}"`;
				break;
			}
			case '--timeout': {
				const v = next();
				o.timeoutSeconds = Number(v);
				if (!v || !Number.isFinite(o.timeoutSeconds) || o.timeoutSeconds <= 0) return `--timeout 需要正数秒 (seconds, e.g. 30), not "${v}"`;
				break;
			}
			case '--max-time': {
				const v = next();
				o.maxTimeSeconds = Number(v);
				if (!v || !Number.isFinite(o.maxTimeSeconds) || o.maxTimeSeconds <= 0)
					return `--max-time 需要正数秒 (seconds one file may take in all, e.g. 300), not "${v}"`;
				break;
			}
			case '--max-bytes': {
				const v = next();
				const n = parseByteSize(v);
				if (n === undefined) return `--max-bytes 需要字节数 (bytes, e.g. 52428800 or 50MB), not "${v}"`;
				o.maxBytes = n;
				break;
			}
			case '--contact':
				o.contact = next();
				if (!o.contact || /[^\x20-\x7e]/.test(o.contact)) return '--contact 需要 ASCII 的电子邮件或网址 (an e-mail address or URL in ASCII)';
				break;
			case '--refresh':
				o.refresh = true;
				break;
			case '--quiet':
				o.quiet = true;
				break;
			default: {
				if (a.startsWith('--')) return `未知选项 unknown option ${a}`;
				let u: URL;
				try {
					u = new URL(a);
				} catch {
					return `不是网址 not a URL: ${a}（需要 http:// 或 https:// 开头）`;
				}
				if (u.protocol !== 'http:' && u.protocol !== 'https:') return `只支持 http(s) 网址 (http and https only): ${a}`;
				u.hash = '';
				o.urls.push(u);
			}
		}
	}
	if (o.urls.length === 0) return "至少给出一个网址 (at least one URL: a site's annual-report column or a report page)";
	return o;
}

/** Names us, says why we are here and where to complain. ASCII only: it is an HTTP header. */
export function userAgent(contact?: string): string {
	const who = contact ? `; contact: ${contact}` : '';
	return `${PRODUCT_TOKEN}/0.1 (+collects government information-disclosure annual reports for research; honours robots.txt; one request per second per host${who})`;
}

/** A path as a shell argument. */
function shellArg(s: string): string {
	return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function usage(msg: string): number {
	process.stderr.write(`fetch: ${msg}\n${USAGE}\n`);
	return 2;
}

export async function runFetch(args: string[]): Promise<number> {
	if (args.includes('--help') || args.includes('-h')) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const parsed = parseFetchArgs(args);
	if (typeof parsed === 'string') return usage(parsed);
	const o = parsed;

	const counts = emptyCounts();
	const progress = new FetchProgress(counts, process.stderr, o.quiet);
	const ctrl = new AbortController();
	let interrupts = 0;
	const onSignal = (sig: NodeJS.Signals) => {
		if (++interrupts > 1) process.exit(130);
		ctrl.abort(new Error(`interrupted by ${sig}`));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	let store: Store;
	try {
		store = await Store.open(o.out);
	} catch (e) {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.stderr.write(`fetch: 无法写入 cannot write to ${o.out}: ${e instanceof Error ? e.message : String(e)}\n`);
		return 1;
	}
	if (o.rateSeconds < 1)
		progress.log(
			`! --rate ${o.rateSeconds}：每个主机每秒超过一个请求，请确认对方网站允许 (more than one request per second per host; make sure the site is fine with that)`
		);
	const clock = new HostClock(o.rateSeconds * 1000);
	const http = new Http({
		userAgent: userAgent(o.contact),
		from: o.contact && /^[^@\s]+@[^@\s]+$/.test(o.contact) ? o.contact : undefined,
		timeoutMs: o.timeoutSeconds * 1000,
		deadlineMs: o.maxTimeSeconds * 1000,
		maxBytes: o.maxBytes,
		retryBaseMs: o.rateSeconds * 1000,
		clock,
		health: new HostHealth(),
		signal: ctrl.signal,
		note: (line) => progress.log(escapeControls(line)),
		onRequest: () => {
			counts.requests++;
			progress.update();
		}
	});
	const crawler = new Crawler(http, store, progress, { since: o.since, max: o.max, refresh: o.refresh, maxBytes: o.maxBytes });

	const t0 = performance.now();
	let interrupted = false;
	try {
		await crawler.run(o.urls);
	} catch (e) {
		if (!ctrl.signal.aborted) throw e;
		interrupted = true;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		progress.done();
		await store.close().catch(() => {});
	}

	const w = (s: string) => process.stdout.write(escapeControls(s) + '\n');
	const secs = ((performance.now() - t0) / 1000).toFixed(1);
	w(
		`fetch: ${statusLine(counts)}｜附件 attachments ${counts.attachments}｜图片（仅列出）images listed ${counts.images}｜跳过 skipped ${counts.skipped}｜请求 requests ${counts.requests}（${secs} s）`
	);
	for (const f of crawler.failures) w(`  ✗ ${f}`);
	for (const n of crawler.notices) w(`  ! ${n}`);
	if (interrupted) w('已中断 interrupted：已保存的文件都在，再运行同一命令即可继续 (everything saved so far is kept; run the same command again to continue)');
	else if (crawler.stoppedAtMax)
		w(`已达到 --max ${o.max}，停止 (stopped at --max ${o.max}): 再运行同一命令继续下载其余报告 (run the same command again for the rest)`);
	else if (crawler.failures.length)
		w('再运行同一命令只会重试失败的和新增的 (run the same command again to retry the failures; saved reports are not fetched again)');
	w(`清单 manifest: ${resolve(o.out, MANIFEST_NAME)}（单个文件上限 max file size ${fmtBytes(o.maxBytes)}）`);
	w(`下一步 next: npm run --silent cli -- ingest ${shellArg(o.out)}`);
	if (interrupted) return 130;
	return crawler.usableStarts === 0 ? 1 : 0;
}
