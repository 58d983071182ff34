import { ACTIVE_LAYOUT, APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, SCHEMA_VERSION, cellKind, type ReportRecord, type Template } from './schema';

/**
 * Check that an imported object is a record in exactly the schema.md shape.
 * Returns the problems, each naming the key; an empty list means valid.
 * Keys starting with "_" are metadata and ignored.
 */
export function validateRecord(value: unknown): string[] {
	const errors: string[] = [];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['不是一个 JSON 对象 (not a JSON object)'];
	const r = value as Record<string, unknown>;
	// A count is a whole number a document can print; an amount (万元, 元) may have decimals. Only 本年增/减 is signed.
	// null is a cell the document printed but not as a number the column can hold (the parser's issue names it).
	const isCount = (v: unknown) => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
	const isChange = (v: unknown) => v === null || (typeof v === 'number' && Number.isSafeInteger(v));
	const isAmount = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
	const rules = { count: [isCount, '非负整数'], signed: [isChange, '整数'], amount: [isAmount, '非负数'] } as const;
	const cells = (path: string, v: unknown, keys: readonly string[], nullable: boolean) => {
		if (v === null) {
			if (!nullable) errors.push(`${path}: 不能为 null`);
			return;
		}
		if (typeof v !== 'object' || Array.isArray(v)) {
			errors.push(`${path}: 应为对象或 null`);
			return;
		}
		const o = v as Record<string, unknown>;
		for (const k of keys) {
			const [ok, what] = rules[cellKind(k)];
			if (!(k in o)) errors.push(`${path}.${k}: 缺少 (missing)`);
			else if (!ok(o[k])) errors.push(`${path}.${k}: 应为${what}或 null，实际为 ${typeof o[k] === 'number' ? String(o[k]) : JSON.stringify(o[k])}`);
		}
		for (const k of Object.keys(o)) if (!keys.includes(k)) errors.push(`${path}.${k}: 多余的键 (unknown key)`);
	};

	if (r.schema !== SCHEMA_VERSION) errors.push(`schema: 应为 ${SCHEMA_VERSION}，实际为 ${JSON.stringify(r.schema)}`);
	if (typeof r.agency !== 'string' || !r.agency.trim()) errors.push('agency: 应为非空字符串');
	if (!Number.isInteger(r.year) || (r.year as number) < 2000 || (r.year as number) > 2100) errors.push(`year: 应为年份，实际为 ${JSON.stringify(r.year)}`);
	if (r.template !== '2019' && r.template !== '2021') {
		errors.push(`template: 应为 "2019" 或 "2021"，实际为 ${JSON.stringify(r.template)}`);
		return errors;
	}
	const layout = ACTIVE_LAYOUT[r.template as Template] as Record<string, readonly string[]>;
	if (r.active === null) {
		// a record without table 二 is allowed
	} else if (typeof r.active !== 'object' || Array.isArray(r.active)) errors.push('active: 应为对象或 null');
	else {
		const a = r.active as Record<string, unknown>;
		for (const [k, fields] of Object.entries(layout)) {
			if (!(k in a)) errors.push(`active.${k}: 缺少 (missing)`);
			else cells(`active.${k}`, a[k], fields, true);
		}
		for (const k of Object.keys(a)) if (!(k in layout)) errors.push(`active.${k}: 不属于 ${r.template} 格式 (unknown key)`);
	}
	if (typeof r.requests !== 'object' || r.requests === null || Array.isArray(r.requests)) errors.push('requests: 应为对象');
	else {
		const q = r.requests as Record<string, unknown>;
		for (const k of REQUEST_ROWS) {
			if (!(k in q)) errors.push(`requests.${k}: 缺少 (missing)`);
			else cells(`requests.${k}`, q[k], APPLICANT_COLUMNS, true);
		}
		for (const k of Object.keys(q)) if (!(REQUEST_ROWS as readonly string[]).includes(k)) errors.push(`requests.${k}: 多余的键 (unknown key)`);
	}
	for (const g of CASE_GROUPS) {
		if (!(g in r)) errors.push(`${g}: 缺少 (missing)`);
		else cells(g, r[g], CASE_FIELDS, true);
	}
	const known = new Set(['schema', 'agency', 'year', 'template', 'active', 'requests', ...CASE_GROUPS, 'file', 'issues', 'provenance']);
	for (const k of Object.keys(r)) if (!known.has(k) && !k.startsWith('_')) errors.push(`${k}: 多余的键 (unknown key)`);
	return errors;
}

/** The record without metadata (`_…`) and parse-only keys, in schema order. */
export function toRecord(r: Record<string, unknown>): ReportRecord {
	const { schema, agency, year, template, active, requests, review, litigation_direct, litigation_after_review } = r as unknown as ReportRecord;
	return { schema, agency, year, template, active, requests, review, litigation_direct, litigation_after_review };
}
