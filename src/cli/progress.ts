/** Progress on a terminal (a bar with counts and ETA), plain lines otherwise. */
export class Progress {
	private done_ = 0;
	private failed = 0;
	private readonly start = performance.now();
	private lastLine = 0;
	constructor(
		private readonly total: number,
		private readonly stream: NodeJS.WriteStream,
		private readonly quiet = false
	) {}

	tick(ok: boolean): void {
		this.done_++;
		if (!ok) this.failed++;
		if (this.quiet || this.total === 0) return;
		const now = performance.now();
		if (this.stream.isTTY) {
			if (now - this.lastLine > 80 || this.done_ === this.total) {
				this.lastLine = now;
				this.stream.write(`\r${this.line(now)}\x1b[K`);
			}
		} else if (now - this.lastLine > 2000 || this.done_ === this.total) {
			this.lastLine = now;
			this.stream.write(`${this.line(now)}\n`);
		}
	}

	done(): void {
		if (!this.quiet && this.stream.isTTY && this.total > 0) this.stream.write('\n');
	}

	private line(now: number): string {
		const elapsed = (now - this.start) / 1000;
		const rate = this.done_ / Math.max(elapsed, 1e-3);
		const eta = rate > 0 ? (this.total - this.done_) / rate : 0;
		const width = 24;
		const filled = Math.round((this.done_ / this.total) * width);
		const bar = this.stream.isTTY ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
		return `${bar}${this.done_}/${this.total} 个文件 files，失败 failed ${this.failed}，${rate.toFixed(1)}/s，剩余 ETA ${fmtTime(eta)}`;
	}
}

function fmtTime(s: number): string {
	const m = Math.floor(s / 60);
	const r = Math.round(s % 60);
	return `${m}:${String(r).padStart(2, '0')}`;
}
