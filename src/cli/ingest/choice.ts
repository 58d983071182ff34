import { factsOf, statusOf } from '../../lib/dataset/tables';
import type { ReportIssue, ReportRecord } from '../../lib/report/index';

/**
 * How ingest chooses between two copies of the same agency and year. The
 * figures are computed where the record is parsed (the worker), so that the
 * choice needs only this light summary, never the records themselves.
 */

/** How complete and consistent one copy of a report is. */
export interface Quality {
	missingTables: number;
	readProblems: number;
	numbers: number;
	broken: number;
}

/** What ingest keeps in memory of one parsed record. */
export interface Summary {
	agency: string;
	year: number;
	/** For JSON Lines: which line. */
	line?: number;
	quality: Quality;
	/** The key of what its rows were built with besides its content (rows.ts contextKey), base64. */
	ctx: string;
}

/** `numbers`: the record's facts, when they are counted already. */
export function quality(r: ReportRecord, issues: ReportIssue[], numbers = factsOf('', r).length): Quality {
	const tables = [
		r.active !== null,
		Object.values(r.requests).some((row) => row !== null),
		r.review !== null || r.litigation_direct !== null || r.litigation_after_review !== null
	];
	return {
		missingTables: tables.filter((present) => !present).length,
		readProblems: issues.filter((i) => i.severity === 'error').length,
		numbers,
		broken: statusOf(issues).broken
	};
}

/** One copy, as the choice sees it. */
export interface Candidate {
	quality: Quality;
	kind: 'document' | 'record';
	sourceFile: string;
}

/**
 * Which of two copies of the same agency and year to keep, and why: the more
 * complete one (fewer missing tables, fewer read problems, more numbers), then
 * the more consistent one (fewer broken rules), then a hand-checked record
 * over a parsed document, then the first by file name.
 */
export function prefer<C extends Candidate>(a: C, b: C): { keep: C; drop: C; reason: string } {
	const qa = a.quality;
	const qb = b.quality;
	const rules: [keyof Quality, 'fewer' | 'more', (kept: number, dropped: number) => string][] = [
		['missingTables', 'fewer', (k, d) => `保留缺表更少的一份：缺 ${k} 张表，舍弃的缺 ${d} 张 (fewer missing tables)`],
		['readProblems', 'fewer', (k, d) => `保留读取问题更少的一份：${k} 处，舍弃的 ${d} 处 (fewer read problems)`],
		['numbers', 'more', (k, d) => `保留数字更完整的一份：${k} 个数，舍弃的 ${d} 个 (more numbers read)`],
		['broken', 'fewer', (k, d) => `保留勾稽错误更少的一份：${k} 条，舍弃的 ${d} 条 (fewer broken rules)`]
	];
	for (const [key, better, why] of rules) {
		if (qa[key] === qb[key]) continue;
		const aWins = better === 'fewer' ? qa[key] < qb[key] : qa[key] > qb[key];
		const [keep, drop, qk, qd] = aWins ? [a, b, qa, qb] : [b, a, qb, qa];
		return { keep, drop, reason: why(qk[key], qd[key]) };
	}
	if (a.kind !== b.kind) {
		const [keep, drop] = a.kind === 'record' ? [a, b] : [b, a];
		return { keep, drop, reason: '两份同样完整，保留人工核对的记录 (equally complete: hand-checked record preferred over a parsed document)' };
	}
	const [keep, drop] = a.sourceFile <= b.sourceFile ? [a, b] : [b, a];
	return { keep, drop, reason: '两份同样完整、同样一致，按文件名取第一份 (equally complete and consistent: first by file name)' };
}
