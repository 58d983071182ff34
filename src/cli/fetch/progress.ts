/** Counters of a fetch run, shown as one updating line on a terminal and as plain lines otherwise. */

export interface FetchCounts {
	/** List pages read. */
	listed: number;
	/** Report entries found on lists (or named directly). */
	found: number;
	/** Reports saved in this run. */
	downloaded: number;
	/** Reports already saved by an earlier run. */
	already: number;
	/** URLs that failed in this run (retried next run). */
	failed: number;
	/** Entries and files passed over (解读, half-year, robots.txt, too large …). */
	skipped: number;
	attachments: number;
	images: number;
	requests: number;
}

export function emptyCounts(): FetchCounts {
	return { listed: 0, found: 0, downloaded: 0, already: 0, failed: 0, skipped: 0, attachments: 0, images: 0, requests: 0 };
}

export function statusLine(c: FetchCounts): string {
	return `列表页 pages listed ${c.listed}｜报告 reports found ${c.found}｜已下载 downloaded ${c.downloaded}${c.already ? `（已有 already ${c.already}）` : ''}｜失败 failed ${c.failed}`;
}

/** Cut a line to a terminal width (CJK and full-width forms take two columns): a wrapped line breaks the \r redraw. */
export function fitWidth(line: string, columns: number): string {
	let width = 0;
	let out = '';
	for (const ch of line) {
		const w = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
		if (width + w > columns) return out;
		width += w;
		out += ch;
	}
	return out;
}

export class FetchProgress {
	private lastDraw = 0;
	private drawn = false;
	constructor(
		readonly counts: FetchCounts,
		private readonly stream: NodeJS.WriteStream,
		private readonly quiet: boolean
	) {}

	private get tty(): boolean {
		return !!this.stream.isTTY;
	}

	/** One event line (a failure, a saved report, a list page). */
	log(line: string): void {
		if (this.quiet) return;
		if (this.tty) {
			this.stream.write(`\r\x1b[K${line}\n`);
			this.draw(true);
		} else this.stream.write(`${line}\n`);
	}

	/** Counters changed: redraw the terminal line (at most ten times a second). */
	update(): void {
		if (!this.quiet && this.tty) this.draw(false);
	}

	private draw(force: boolean): void {
		const now = performance.now();
		if (!force && now - this.lastDraw < 100) return;
		this.lastDraw = now;
		this.drawn = true;
		this.stream.write(`\r${fitWidth(statusLine(this.counts), (this.stream.columns || 80) - 1)}\x1b[K`);
	}

	done(): void {
		if (!this.quiet && this.tty && this.drawn) this.stream.write(`\r\x1b[K`);
	}
}
