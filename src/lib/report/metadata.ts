import { compactText } from './normalize';
import type { ReportIssue } from './schema';

/** A report title found in the document. */
export interface TitleCandidate {
	agency: string;
	year: number;
	/** The line it came from. */
	line: string;
	/** 解读 / 上半年 pages mention a report without being one. */
	kind: 'report' | 'interpretation' | 'half_year';
}

const REPORT_WORDS = '(?:政府信息公开|政务公开|信息公开|政府信息与政务公开)(?:工作)?(?:的)?年度?报告';
/** {agency}{YYYY}年(度){report words} */
const AGENCY_FIRST = new RegExp(`^(.*?)((?:19|20)\\d{2})年度?(?:的)?${REPORT_WORDS}`);
/** {YYYY}年(度){agency}{report words} */
const YEAR_FIRST = new RegExp(`^((?:19|20)\\d{2})年度?(.+?)${REPORT_WORDS}`);
/** {agency}{report words}（YYYY年） */
const YEAR_AFTER = new RegExp(`^(.+?)${REPORT_WORDS}[(（]((?:19|20)\\d{2})年?[)）]`);

/** Suffixes that end the name of an administrative body. */
const BODY_SUFFIX =
	/(人民政府|政府|办公厅|办公室|委员会|局|委|厅|办|院|署|会|中心|处|所|站|队|馆|分局|管委会|实验区|新区|示范区|开发区|街道办事处|街道|镇|乡|区|县|市|省|公司|集团)$/;

/** Make a line comparable: half-width, no white space. */
const compact = compactText;

/**
 * Page furniture that sits before a title on a page or in a Word file: print
 * and close links, the font-size switch (字号 大 中 小), an attachment number
 * (附件1), link text in Latin letters (click, print), a date. An agency name
 * starts with none of them; they are cut from its start until none is left.
 */
const FURNITURE = [
	/^(打印本页|打印此页|打印|关闭本页|关闭窗口|关闭|返回顶部|返回|收藏本页|收藏|分享到|分享|保存)/,
	/^[【[(（]?(字号|字体)?[:：]?[【[(（]?大中小[】\])）]*/,
	/^附件[0-9一二三四五六七八九十]*/,
	/^[A-Za-z][A-Za-z.,!?'’-]*/,
	/^[0-9][0-9\-/.年月日]*/,
	/^[】\])）、，,。.\-—_·]+/
];

function withoutFurniture(name: string): string {
	let a = name;
	for (let before = ''; before !== a; ) {
		before = a;
		for (const re of FURNITURE) a = a.replace(re, '');
	}
	return a;
}

/** Breadcrumbs, field names and separators that sit before a title on a page. */
function cleanAgency(raw: string): string {
	let a = raw;
	// Keep what follows the last breadcrumb separator or field label.
	const cut = Math.max(a.lastIndexOf('>'), a.lastIndexOf('》'), a.lastIndexOf('»'), a.lastIndexOf('|'), a.lastIndexOf('：'), a.lastIndexOf(':'));
	if (cut >= 0) a = a.slice(cut + 1);
	a = a.replace(/^[#*>\s]+/, '').replace(/^(名称|标题|题名|文章标题|当前位置|首页|正文)+/, '');
	a = withoutFurniture(a);
	a = a.replace(/^[、，,。.\-—_·\s]+|[、，,。.\-—_·\s]+$/g, '');
	a = a.replace(/^(关于|现将)/, '');
	return a;
}

function classify(line: string): TitleCandidate['kind'] {
	if (/解读/.test(line)) return 'interpretation';
	if (/上半年|半年/.test(line)) return 'half_year';
	return 'report';
}

function matchTitle(line: string): TitleCandidate | undefined {
	return matchCompact(compact(line));
}

/** matchTitle of a line already compacted. */
function matchCompact(compacted: string): TitleCandidate | undefined {
	// Every title pattern holds the report words, and they end in 报告: most lines are out at once.
	if (!compacted.includes('报告')) return undefined;
	const s = compacted.replace(/^[#*>]+|\*+$/g, '');
	if (s.length > 160) return undefined;
	let m = YEAR_FIRST.exec(s);
	if (m) {
		const agency = cleanAgency(m[2]);
		return { agency, year: Number(m[1]), line: s, kind: classify(s) };
	}
	m = AGENCY_FIRST.exec(s);
	if (m) return { agency: cleanAgency(m[1]), year: Number(m[2]), line: s, kind: classify(s) };
	m = YEAR_AFTER.exec(s);
	if (m) return { agency: cleanAgency(m[1]), year: Number(m[2]), line: s, kind: classify(s) };
	return undefined;
}

/**
 * Title candidates from headings and lines. A title broken over two lines
 * ("洪泽区人民政府" / "2023 年政府信息公开工作年度报告", or "…分局2025年" /
 * "政府信息公开工作年度报告") is joined back.
 */
export function findTitles(titles: string[], lines: string[]): TitleCandidate[] {
	const out: TitleCandidate[] = [];
	const push = (c: TitleCandidate | undefined) => {
		if (c) out.push(c);
	};
	for (const t of titles) push(matchTitle(t));
	const n = Math.min(lines.length, 20000);
	// Each line is looked at as itself, as the next line and as the previous one: compact it once.
	const compacted: (string | undefined)[] = new Array(n);
	const compactAt = (i: number): string => (compacted[i] ??= compact(lines[i]));
	// Compacting only drops white space and narrows ASCII, so a title (报告), alone or wrapped
	// (年 or 报告 in the pair), needs 报 or 年 in the line or the next: most lines are out uncompacted.
	const mayTitle = (i: number): boolean => i < n && (lines[i].includes('报') || lines[i].includes('年'));
	// Each line is asked once: as the next line, then carried over as this one.
	for (let i = 0, here = mayTitle(0), next = mayTitle(1); i < n; i++, here = next, next = mayTitle(i + 1)) {
		const line = lines[i];
		if (line.length > 200) continue;
		if (!here && !next) continue;
		const c = matchCompact(compactAt(i));
		if (c && c.agency) {
			out.push(c);
			continue;
		}
		const prev = i > 0 ? compactAt(i - 1) : '';
		if (c && !c.agency && prev.length > 0 && prev.length <= 40 && BODY_SUFFIX.test(prev)) {
			out.push({ ...c, agency: cleanAgency(prev), line: prev + c.line });
			continue;
		}
		if (!c && i + 1 < n) {
			// A title wrapped over two lines: "…2025年" / "政府信息公开工作年度报告".
			const here = compactAt(i);
			const next = compactAt(i + 1);
			// Never when the line is page furniture (a print link, 附件1, 字号 大 中 小): it is no part of a title.
			if (here.length <= 60 && next.length <= 60 && /\d{4}年|报告/.test(here + next) && withoutFurniture(here) !== '') {
				const joined = matchTitle(here + next);
				if (joined?.agency) push(joined);
			}
		}
	}
	return out;
}

/** "统计期限自2023年1月1日起至2023年12月31日止", "从2019年1月1日到12月31日止" … */
const PERIOD = /((?:19|20)\d{2})年度?1月1日(?:起|开始)?(?:至|到|—|-|－|~|～|――|——)(?:((?:19|20)\d{2})年)?12月31日/;

/** Lines the statistics-period sentence is looked for in first (the corpus pages have it within their first 35). */
const PERIOD_HEAD_LINES = 64;

/** PERIOD in the first `n` lines joined (the sentence may be broken across inline markup or lines), a huge page bounded. */
function periodIn(lines: string[], n: number): RegExpExecArray | null {
	let joined = '';
	for (let i = 0; i < n; i++) {
		if (joined.length > 2_000_000) break;
		joined += lines[i];
	}
	return PERIOD.exec(compact(joined));
}

/** The reporting year from the statistics-period sentence, the most reliable source. */
export function findPeriodYear(lines: string[]): number | undefined {
	// The head first: compacting the whole text was most of this. A match there is the whole text's first
	// match too: the head is a prefix of it, and no reading of the sentence holds another whole sentence.
	const m = (lines.length > PERIOD_HEAD_LINES ? periodIn(lines, PERIOD_HEAD_LINES) : null) ?? periodIn(lines, lines.length);
	if (!m) return undefined;
	return Number(m[1]);
}

/** Signs of a report written under the 2008 条例 (report-format.md §7). */
export function looksPre2019(lines: string[]): boolean {
	const text = compact(lines.slice(0, 5000).join(''));
	return /收费及减免|当面申请数|同意公开答复数|维持具体行政行为数|政府信息公开情况统计表|对申请的答复|受理依申请公开信息总数|指标名称计量单位/.test(text);
}

export interface Metadata {
	agency?: string;
	year?: number;
	titles: TitleCandidate[];
	issues: ReportIssue[];
}

/**
 * Agency and year. The year comes from the statistics period first, then the
 * title; never from a publication date or a plan for next year. The agency is
 * the title's own form of the name.
 */
export function readMetadata(titles: string[], lines: string[]): Metadata {
	const issues: ReportIssue[] = [];
	const candidates = findTitles(titles, lines);
	const reports = candidates.filter((c) => c.kind === 'report' && c.agency.length >= 2);
	const periodYear = findPeriodYear(lines);
	const best = (periodYear !== undefined ? reports.find((c) => c.year === periodYear) : undefined) ?? reports[0];
	const year = periodYear ?? best?.year;
	if (periodYear !== undefined && best && best.year !== periodYear) {
		issues.push({
			code: 'year_conflict',
			severity: 'warning',
			message: `标题年份 ${best.year} 与统计期限 ${periodYear} 不一致，取统计期限`
		});
	}
	let agency = best?.agency;
	if (agency && /[A-Za-z]/.test(agency)) {
		issues.push({
			code: 'agency_suspect',
			severity: 'warning',
			message: `机关名称含拉丁字母（可能是镜像站篡改）：${agency}`
		});
	}
	if (agency) agency = agency.trim();
	return { agency, year, titles: candidates, issues };
}
