/** Counters of a fetch run, shown as one updating line on a terminal (src/cli/progress.ts). */
import { StatusLine } from '../progress';

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

/** The counts of a run and the status line that shows them. */
export class FetchProgress extends StatusLine {
	constructor(
		readonly counts: FetchCounts,
		stream: NodeJS.WriteStream,
		quiet: boolean
	) {
		super(stream, quiet, () => statusLine(counts));
	}
}
