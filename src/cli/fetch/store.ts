/**
 * The output folder: one sub-folder per report, files written under a temp
 * name and renamed into place, and DIR/fetch-manifest.jsonl, an append-only
 * log (a line is appended only after its file is in place; the last line
 * for a URL is its state).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const MANIFEST_NAME = 'fetch-manifest.jsonl';
/** A dot-folder: `ingest` does not walk it, and it is emptied at the start of each run. */
export const TEMP_DIR = '.fetch-tmp';

export type EntryKind = 'list' | 'page' | 'attachment' | 'image-listed' | 'skipped' | 'failed';

export interface ManifestLine {
	url: string;
	/** After redirects. */
	final_url: string | null;
	status: number | null;
	fetched_at: string | null;
	content_type: string | null;
	sha256: string | null;
	bytes: number | null;
	/** The report's title (from the list, else the page). */
	title: string | null;
	/** The publication date the list page shows beside the entry, YYYY-MM-DD. */
	published: string | null;
	kind: EntryKind;
	/** For skipped and failed lines: what the URL would have been. */
	of?: 'list' | 'page' | 'attachment';
	/** Machine-readable reason for skipped / failed lines. */
	code?: string;
	reason?: string;
	/** The saved file, relative to DIR, with / separators. */
	file?: string;
	/** The list entry (report) this file belongs to. */
	report?: string;
	/** The page the URL was found on. */
	referrer?: string;
	/** For attachments and images: the link's text. */
	link_text?: string;
	/** For too-large skips: the limit then in force (a larger limit tries again). */
	max_bytes?: number;
}

/** Skips that stand until --refresh: the URL was fetched and judged. */
const SETTLED_SKIPS = new Set(['not_a_report', 'not_html', 'not_a_document', 'off_site']);

/** Path and shell-hostile characters, and every control (C0, DEL, C1, line separators, bidi overrides). */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

function clip(s: string, max: number): string {
	const chars = [...s];
	return chars.length > max ? chars.slice(0, max).join('') : s;
}

/** A folder name from a title: no path characters, no leading dots, at most 60 characters. */
export function safeSlug(title: string): string {
	let s = title.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, '_');
	s = clip(s.replace(/^[._-]+/, ''), 60).replace(/[._-]+$/, '');
	if (!s) s = 'report';
	return RESERVED.test(s) ? `_${s}` : s;
}

/** A file name: like a slug, keeping the extension. Servers choose it (Content-Disposition), so anything may be in it. */
export function safeFileName(name: string, fallback = 'file'): string {
	const m = /^(.*?)(\.[A-Za-z0-9]{1,5})?$/s.exec(name.normalize('NFC').replace(UNSAFE, ' '))!;
	let base = (m[1] ?? '').replace(/\s+/g, '_').replace(/^[._-]+/, '');
	base = clip(base, 80).replace(/[._ -]+$/, '') || fallback;
	if (RESERVED.test(base)) base = `_${base}`;
	return `${base}${(m[2] ?? '').toLowerCase()}`;
}

function shortHash(s: string): string {
	return createHash('sha256').update(s).digest('hex').slice(0, 6);
}

function withSuffix(name: string, n: number): string {
	const m = /^(.*?)(\.[^.]+)?$/s.exec(name)!;
	return `${m[1]}-${n}${m[2] ?? ''}`;
}

export class Store {
	private readonly lines: ManifestLine[] = [];
	private readonly byUrl = new Map<string, ManifestLine[]>();
	/** folder → report URL, file → URL: names are never reused for something else. */
	private readonly folders = new Map<string, string>();
	private readonly files = new Map<string, string>();
	private tempCount = 0;

	private constructor(readonly dir: string) {}

	static async open(dir: string): Promise<Store> {
		const store = new Store(dir);
		await mkdir(dir, { recursive: true });
		// Anything left in the temp folder is from a run that was killed mid-file.
		await rm(join(dir, TEMP_DIR), { recursive: true, force: true });
		await mkdir(join(dir, TEMP_DIR), { recursive: true });
		let text = '';
		try {
			text = await readFile(join(dir, MANIFEST_NAME), 'utf8');
		} catch {
			// first run
		}
		for (const raw of text.split('\n')) {
			if (!raw.trim()) continue;
			try {
				store.remember(JSON.parse(raw) as ManifestLine);
			} catch {
				// a line cut short by a kill: its file (if any) is fetched again
			}
		}
		// A line cut short leaves no newline: start the next line on its own.
		if (text && !text.endsWith('\n')) await appendFile(join(dir, MANIFEST_NAME), '\n');
		return store;
	}

	get manifestPath(): string {
		return join(this.dir, MANIFEST_NAME);
	}

	private remember(line: ManifestLine): void {
		this.lines.push(line);
		const list = this.byUrl.get(line.url) ?? [];
		list.push(line);
		this.byUrl.set(line.url, list);
		if (line.file) {
			this.files.set(line.file, line.url);
			if (line.report && line.file.includes('/')) this.folders.set(line.file.slice(0, line.file.lastIndexOf('/')), line.report);
		}
	}

	async append(line: ManifestLine): Promise<void> {
		await appendFile(this.manifestPath, JSON.stringify(line) + '\n');
		this.remember(line);
	}

	/** The last line recorded for a URL. */
	latest(url: string): ManifestLine | undefined {
		const list = this.byUrl.get(url);
		return list?.[list.length - 1];
	}

	/** The last saved copy of a URL whose file is still there. */
	saved(url: string): ManifestLine | undefined {
		const list = this.byUrl.get(url) ?? [];
		for (let i = list.length - 1; i >= 0; i--) {
			const l = list[i];
			if ((l.kind === 'page' || l.kind === 'attachment') && l.file && existsSync(join(this.dir, l.file))) return l;
		}
		return undefined;
	}

	/** Nothing more to do for this URL (unless --refresh): saved, or fetched and judged. */
	settled(url: string, maxBytes: number): ManifestLine | undefined {
		const saved = this.saved(url);
		if (saved) return saved;
		const last = this.latest(url);
		if (last?.kind === 'image-listed') return last;
		if (last?.kind !== 'skipped' || !last.code) return undefined;
		if (SETTLED_SKIPS.has(last.code)) return last;
		if (last.code === 'too_large' && (last.max_bytes ?? Infinity) >= maxBytes) return last;
		return undefined;
	}

	/** Has exactly this judgement been recorded already (to keep re-runs from repeating lines)? */
	recorded(url: string, kind: EntryKind, code?: string, sha256?: string | null): boolean {
		const last = this.latest(url);
		return !!last && last.kind === kind && last.code === code && (sha256 === undefined || last.sha256 === sha256);
	}

	/** The report's folder: its title's slug, or slug-<hash> when another report has that name. */
	folderFor(title: string, reportUrl: string): string {
		const slug = safeSlug(title);
		for (const name of [slug, `${slug}-${shortHash(reportUrl)}`]) {
			const owner = this.folders.get(name);
			if (owner === undefined || owner === reportUrl) {
				this.folders.set(name, reportUrl);
				return name;
			}
		}
		return `${slug}-${shortHash(reportUrl + Date.now())}`;
	}

	/** A file path in the folder for this URL: its earlier name, or a free one. */
	fileFor(folder: string, name: string, url: string): string {
		const safe = safeFileName(name);
		for (let n = 1; n < 1000; n++) {
			const rel = `${folder}/${n === 1 ? safe : withSuffix(safe, n)}`;
			const owner = this.files.get(rel);
			if (owner === undefined || owner === url) {
				this.files.set(rel, url);
				return rel;
			}
		}
		throw new Error(`no free file name for ${name} in ${folder}`);
	}

	/** A fresh temp path inside DIR (same file system, so rename is atomic). */
	tempPath(): string {
		return join(this.dir, TEMP_DIR, `${process.pid}-${++this.tempCount}-${randomBytes(3).toString('hex')}.part`);
	}

	/** Put a finished temp file in place. */
	async place(tempPath: string, rel: string): Promise<void> {
		const target = join(this.dir, ...rel.split('/'));
		await mkdir(dirname(target), { recursive: true });
		await rename(tempPath, target);
	}

	/** Write bytes to a temp name, then rename into place. */
	async writeFile(rel: string, bytes: Uint8Array): Promise<void> {
		const tmp = this.tempPath();
		await writeFile(tmp, bytes);
		await this.place(tmp, rel);
	}

	/** Remove the temp folder at the end of a run. */
	async close(): Promise<void> {
		await rm(join(this.dir, TEMP_DIR), { recursive: true, force: true });
	}
}
