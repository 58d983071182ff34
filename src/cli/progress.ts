/**
 * Progress of a long CLI run on stderr: one status line redrawn in place on a
 * terminal, plain lines otherwise (a log file or a pipe gets no \r noise).
 * Shared by ingest (files done, ETA) and fetch (pages and reports counted).
 */

/** A terminal line is redrawn at most this often: drawing is slower than counting. */
const REDRAW_MS = 100;

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

export interface StatusLineOptions {
	/** Off a terminal, print the status as a line this often (and on the final update); otherwise only log lines go there. */
	plainEveryMs?: number;
	/** Leave the last status on screen at the end, rather than clear it for a summary that repeats it. */
	keep?: boolean;
}

export class StatusLine {
	private lastDraw = -Infinity;
	private drawn = false;

	/** `render` gives the current status. */
	constructor(
		private readonly stream: NodeJS.WriteStream,
		private readonly quiet: boolean,
		private readonly render: () => string,
		private readonly o: StatusLineOptions = {}
	) {}

	private get tty(): boolean {
		return !!this.stream.isTTY;
	}

	/** The status changed: show it, unless it was shown a moment ago (`final` shows it anyway). */
	update(final = false): void {
		if (this.quiet) return;
		const now = performance.now();
		if (this.tty) {
			if (!final && now - this.lastDraw < REDRAW_MS) return;
			this.lastDraw = now;
			this.drawn = true;
			this.stream.write(`\r${fitWidth(this.render(), (this.stream.columns || 80) - 1)}\x1b[K`);
		} else if (this.o.plainEveryMs !== undefined && (final || now - this.lastDraw >= this.o.plainEveryMs)) {
			this.lastDraw = now;
			this.stream.write(`${this.render()}\n`);
		}
	}

	/** One event line (a failure, a saved report), above the status line on a terminal. */
	log(line: string): void {
		if (this.quiet) return;
		if (!this.tty) {
			this.stream.write(`${line}\n`);
			return;
		}
		this.stream.write(`\r\x1b[K${line}\n`);
		this.update(true);
	}

	/** The run is over: end the terminal line. */
	done(): void {
		if (this.quiet || !this.tty || !this.drawn) return;
		this.stream.write(this.o.keep ? '\n' : '\r\x1b[K');
	}
}

/** Files done of a known total: a bar (terminal only), counts, rate and ETA. */
export class FileProgress {
	private done_ = 0;
	private failed = 0;
	private readonly start = performance.now();
	private readonly line: StatusLine;

	constructor(
		private readonly total: number,
		stream: NodeJS.WriteStream,
		quiet = false
	) {
		this.line = new StatusLine(stream, quiet || total === 0, () => this.status(!!stream.isTTY), { plainEveryMs: 2000, keep: true });
	}

	tick(ok: boolean): void {
		this.done_++;
		if (!ok) this.failed++;
		this.line.update(this.done_ === this.total);
	}

	done(): void {
		this.line.done();
	}

	private status(tty: boolean): string {
		const elapsed = (performance.now() - this.start) / 1000;
		const rate = this.done_ / Math.max(elapsed, 1e-3);
		const eta = rate > 0 ? (this.total - this.done_) / rate : 0;
		const width = 24;
		const filled = Math.round((this.done_ / this.total) * width);
		const bar = tty ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
		return `${bar}${this.done_}/${this.total} 个文件 files，失败 failed ${this.failed}，${rate.toFixed(1)}/s，剩余 ETA ${fmtTime(eta)}`;
	}
}

function fmtTime(s: number): string {
	const m = Math.floor(s / 60);
	const r = Math.round(s % 60);
	return `${m}:${String(r).padStart(2, '0')}`;
}
