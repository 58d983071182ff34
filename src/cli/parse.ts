import { readFile } from 'node:fs/promises';
import { isReportError, parseDocument, proseIssues, readDocument, type ParsedReport } from '../lib/report/index';
import { readScopeStatement, type ScopeStatement } from '../lib/agencies/scope';
import { receivedCounts } from '../lib/dataset/tables';
import { registerDocumentAdapters } from '../lib/report/adapters/index';
import { decideScope, describeAgency, SCOPE_LABELS } from '../lib/agencies/index';

export interface FileResult {
	file: string;
	report?: ParsedReport;
	/** What the report's prose says about its scope. */
	scope?: ScopeStatement | null;
	error?: string;
}

/** Read and parse one file; every failure becomes a one-line reason. */
export async function parseFile(file: string): Promise<FileResult> {
	let bytes: Uint8Array;
	try {
		bytes = await readFile(file);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		const reason =
			code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '是一个目录，不是文件' : code === 'EACCES' ? '没有读取权限' : `无法读取（${code ?? String(e)}）`;
		return { file, error: reason };
	}
	try {
		const doc = await readDocument(bytes, file);
		const report = parseDocument(doc);
		report.issues.push(...proseIssues(doc.lines, report));
		return { file, report: { ...report, file }, scope: readScopeStatement(doc.lines) };
	} catch (e) {
		if (isReportError(e)) return { file, error: e.message };
		// A parser bug must still be one line, never a stack trace.
		return { file, error: `解析器内部错误：${e instanceof Error ? e.message : String(e)}` };
	}
}

/** The schema.md key order, then file, issues, provenance (how each cell was read, and where) and the report's scope (decided as ingest decides it, without agencies.csv). */
export function toJson(r: ParsedReport, statement: ScopeStatement | null = null): string {
	const { schema, agency, year, template, active, requests, review, litigation_direct, litigation_after_review, file, issues, provenance } = r;
	const scope = decideScope(describeAgency(agency), statement, undefined, receivedCounts(r));
	return JSON.stringify({
		schema,
		agency,
		year,
		template,
		active,
		requests,
		review,
		litigation_direct,
		litigation_after_review,
		file,
		issues,
		provenance,
		scope
	});
}

/** A number for the summary; '—' for a table or row the report lacks, '?' for a cell it printed unreadably (null). */
function fmt(n: number | null | undefined): string {
	return n === undefined ? '—' : n === null ? '?' : n.toLocaleString('en-US');
}

/** The human summary of one report. */
export function summary(r: ParsedReport, statement: ScopeStatement | null = null): string {
	const q = r.requests;
	const a = r.active ?? {};
	const errors = r.issues.filter((i) => i.severity === 'error');
	const rules = r.issues.filter((i) => i.code.startsWith('rule_'));
	const warnings = r.issues.filter((i) => i.severity === 'warning' && !i.code.startsWith('rule_'));
	const lines = [
		`${r.file}`,
		`  机关 agency     ${r.agency}`,
		`  年度 year       ${r.year}    格式 template ${r.template}（国办公开办函〔${r.template}〕${r.template === '2021' ? '30' : '60'}号）`,
		`  申请 requests   新收 ${fmt(q.new_received?.total)}  上年结转 ${fmt(q.carried_over?.total)}  办结 ${fmt(q.total_processed?.total)}  结转下年 ${fmt(q.carried_forward?.total)}`,
		`  结果 outcomes   予以公开 ${fmt(q.granted?.total)}  部分公开 ${fmt(q.partially_granted?.total)}  不掌握 ${fmt(q.unable_not_held?.total)}`,
		`  主动 active     许可 ${fmt(a.licensing?.decisions)}  处罚 ${fmt(a.punishment?.decisions)}  强制 ${fmt(a.coercion?.decisions)}${
			r.template === '2021' ? `  收费 ${a.fees?.amount_10k_yuan ?? '—'} 万元` : ''
		}`,
		`  复议/诉讼       复议 ${fmt(r.review?.total)}（纠正 ${fmt(r.review?.corrected)}）  诉讼 ${fmt(
			r.litigation_direct && r.litigation_after_review
				? r.litigation_direct.total === null || r.litigation_after_review.total === null
					? null
					: r.litigation_direct.total + r.litigation_after_review.total
				: undefined
		)}`
	];
	const scope = decideScope(describeAgency(r.agency), statement, undefined, receivedCounts(r));
	lines.push(`  范围 scope      ${SCOPE_LABELS[scope.value].zh} ${scope.value}（${scope.evidence}）`);
	// A rule over a table the report lacks was not checked, so it did not hold either: say which.
	const hasRequests = Object.values(q).some((row) => row !== null);
	const hasCases = r.review !== null || r.litigation_direct !== null || r.litigation_after_review !== null;
	const missing = [...(hasRequests ? [] : ['表三']), ...(hasCases ? [] : ['表四'])];
	const checked = 4 - (hasRequests ? 0 : 3) - (hasCases ? 0 : 1);
	if (rules.length === 0 && errors.length === 0 && checked === 4) lines.push('  检查 checks     四条勾稽规则全部成立 all consistency rules hold');
	else if (rules.length === 0 && errors.length === 0)
		lines.push(
			checked === 0
				? `  检查 checks     缺${missing.join('、')}，四条勾稽规则都无法检查 no consistency rule could be checked`
				: `  检查 checks     可检查的 ${checked} 条勾稽规则成立；缺${missing.join('、')}，其余 ${4 - checked} 条无法检查 only ${checked} of 4 rules could be checked`
		);
	else lines.push(`  检查 checks     ${rules.length} 处勾稽规则不成立 broken rules${errors.length ? `，${errors.length} 处读取问题` : ''}:`);
	for (const i of [...errors, ...rules].slice(0, 20)) lines.push(`    ✗ ${i.message}`);
	if (rules.length + errors.length > 20) lines.push(`    … 另有 ${rules.length + errors.length - 20} 处`);
	for (const w of warnings.slice(0, 10)) lines.push(`    ! ${w.message}`);
	// Our own doubt, never to be read as the report's: 解析存疑 apart from 报告自身不符.
	const cells = Object.values(r.provenance ?? {});
	const inferred = cells.filter((c) => c.how === 'inferred').length;
	const ambiguous = cells.filter((c) => c.how === 'ambiguous').length;
	if (inferred + ambiguous > 0)
		lines.push(`  解析存疑 reading  ${ambiguous} 个单元格存疑 ambiguous，${inferred} 个由勾稽关系推定 inferred（不是报告自身的错误）`);
	return lines.join('\n');
}

export async function runParse(args: string[]): Promise<number> {
	const json = args.includes('--json');
	const files = args.filter((a) => a !== '--json');
	const unknown = files.filter((f) => f.startsWith('--'));
	if (unknown.length) {
		process.stderr.write(`parse: 未知选项 unknown option ${unknown.join(' ')}\n`);
		return 2;
	}
	if (files.length === 0) {
		process.stderr.write('usage: cli parse [--json] FILE...\n');
		return 2;
	}
	// The CLI reads every format the parser has an adapter for (PDF and Word included).
	registerDocumentAdapters();
	let failed = 0;
	for (const file of files) {
		const result = await parseFile(file);
		if (result.error || !result.report) {
			failed++;
			process.stderr.write(`${file}: ${result.error}\n`);
			continue;
		}
		process.stdout.write(json ? toJson(result.report, result.scope) + '\n' : summary(result.report, result.scope) + '\n\n');
	}
	return failed > 0 ? 1 : 0;
}
