/**
 * Which SQL the console runs: one statement that only reads. Decided on the
 * text with a small lexer (strings, quoted names, comments and dollar quotes
 * skipped), before DuckDB sees it:
 *
 *   SELECT …, WITH …, ( SELECT … )      queries
 *   FROM … [SELECT …], VALUES …         DuckDB's other query forms
 *   SUMMARIZE …, PIVOT …, UNPIVOT …     statistics and pivots of a view or query
 *   EXPLAIN [ANALYZE] <query>           plans (ANALYZE runs the query, so only of a query)
 *   DESCRIBE …, SHOW …                  the views' columns and tables (SHOW TABLES: the views, once each)
 *   PRAGMA table_info(…)                the same, the SQLite way
 *
 * Everything else (INSERT, DROP, CREATE, COPY, ATTACH, SET, CALL, PRAGMA …, two
 * statements) is rejected with a reason. The views are a second line: user SQL
 * never runs where an unqualified name reaches a base table. No file or URL
 * is reachable whatever the text: that is DuckDB's own setting (lockdown.ts).
 */

export const CONSOLE_VIEWS = ['report_metrics', 'reports', 'agencies', 'facts', 'metrics', 'issues'] as const;
export const CONSOLE_SCHEMA = 'console';

export type ReadOnlyCheck =
	| { ok: true; statement: string; kind: 'query' | 'explain' | 'describe' | 'show' | 'pragma' }
	| { ok: false; code: 'empty' | 'multiple' | 'not_read_only' | 'unterminated'; keyword: string };

interface Lexed {
	/** Statements split at top-level semicolons, comments removed, trimmed; empty ones dropped. */
	statements: string[];
	unterminated: boolean;
}

function lex(text: string): Lexed {
	const statements: string[] = [];
	let cur = '';
	let i = 0;
	const n = text.length;
	const push = () => {
		if (cur.trim()) statements.push(cur.trim());
		cur = '';
	};
	while (i < n) {
		const c = text[i];
		const next = text[i + 1];
		if (c === '-' && next === '-') {
			const end = text.indexOf('\n', i);
			i = end < 0 ? n : end + 1;
			cur += ' ';
			continue;
		}
		if (c === '/' && next === '*') {
			const end = text.indexOf('*/', i + 2);
			if (end < 0) return { statements, unterminated: true };
			i = end + 2;
			cur += ' ';
			continue;
		}
		if (c === "'" || c === '"') {
			// '' and "" inside are escapes: scanning on to the next quote handles both.
			let j = i + 1;
			for (;;) {
				const end = text.indexOf(c, j);
				if (end < 0) return { statements, unterminated: true };
				if (text[end + 1] === c) {
					j = end + 2;
					continue;
				}
				cur += text.slice(i, end + 1);
				i = end + 1;
				break;
			}
			continue;
		}
		if (c === '$') {
			const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
			if (tag) {
				const end = text.indexOf(tag[0], i + tag[0].length);
				if (end < 0) return { statements, unterminated: true };
				cur += text.slice(i, end + tag[0].length);
				i = end + tag[0].length;
				continue;
			}
		}
		if (c === ';') {
			push();
			i++;
			continue;
		}
		cur += c;
		i++;
	}
	push();
	return { statements, unterminated: false };
}

/** The leading words of a statement, upper-cased; "(" counts as a word. */
function words(statement: string, count: number): string[] {
	const out: string[] = [];
	const re = /\(|[A-Za-z_][A-Za-z0-9_]*/gy;
	let pos = 0;
	while (out.length < count) {
		while (pos < statement.length && /\s/.test(statement[pos])) pos++;
		re.lastIndex = pos;
		const m = re.exec(statement);
		if (!m) break;
		out.push(m[0].toUpperCase());
		pos = re.lastIndex;
	}
	return out;
}

const QUERY_START = new Set(['SELECT', 'WITH', '(', 'FROM', 'VALUES', 'SUMMARIZE', 'PIVOT', 'UNPIVOT']);
/**
 * SHOW TABLES lists every schema on the search path's catalog: each view and
 * the table under it, so every name twice. The console's views, once each.
 */
const SHOW_TABLES = `SELECT name FROM (SHOW ALL TABLES) WHERE schema = '${CONSOLE_SCHEMA}' ORDER BY name`;
/**
 * Words that make a query a write when they stand outside parentheses. Not
 * COPY, ATTACH, LOAD, SET, RESET, EXPORT or IMPORT: DuckDB itself refuses
 * those (file and network access off, configuration locked: lockdown.ts), so
 * a column named `copy` or `load` is not taken for one.
 */
const WRITES = new Set([
	'INSERT',
	'UPDATE',
	'DELETE',
	'MERGE',
	'CREATE',
	'DROP',
	'ALTER',
	'DETACH',
	'INSTALL',
	'CALL',
	'CHECKPOINT',
	'VACUUM',
	'TRUNCATE',
	'USE'
]);

/** Words outside parentheses and quotes, upper-cased (comments are already gone). */
function topLevelWords(statement: string): string[] {
	const out: string[] = [];
	let depth = 0;
	const re = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|[()]|[A-Za-z_][A-Za-z0-9_]*/g;
	for (const m of statement.matchAll(re)) {
		const w = m[0];
		if (w === '(') depth++;
		else if (w === ')') depth = Math.max(0, depth - 1);
		else if (depth === 0 && /^[A-Za-z_]/.test(w)) out.push(w.toUpperCase());
	}
	return out;
}

export function checkReadOnly(text: string): ReadOnlyCheck {
	const { statements, unterminated } = lex(text);
	if (unterminated) return { ok: false, code: 'unterminated', keyword: '' };
	if (statements.length === 0) return { ok: false, code: 'empty', keyword: '' };
	if (statements.length > 1) return { ok: false, code: 'multiple', keyword: String(statements.length) };
	const statement = statements[0];
	const [first = '', second = '', third = ''] = words(statement, 3);
	const reject = (keyword: string): ReadOnlyCheck => ({ ok: false, code: 'not_read_only', keyword });
	if (QUERY_START.has(first) || first === 'EXPLAIN') {
		// WITH … INSERT / DELETE …: the write sits outside every parenthesis.
		const write = topLevelWords(statement).find((w) => WRITES.has(w));
		if (write) return reject(write);
	}
	if (QUERY_START.has(first)) return { ok: true, statement, kind: 'query' };
	if (first === 'EXPLAIN') {
		const target = second === 'ANALYZE' ? third : second;
		return QUERY_START.has(target) ? { ok: true, statement, kind: 'explain' } : reject(`EXPLAIN ${target}`.trim());
	}
	// DESCRIBE <view> or DESCRIBE <query>: both only read.
	if (first === 'DESCRIBE' || first === 'DESC') return second ? { ok: true, statement, kind: 'describe' } : reject(first);
	if (first === 'SHOW') return { ok: true, statement: second === 'TABLES' && !third ? SHOW_TABLES : statement, kind: 'show' };
	if (first === 'PRAGMA') return second === 'TABLE_INFO' ? { ok: true, statement, kind: 'pragma' } : reject(`PRAGMA ${second}`.trim());
	return reject(first || statement.slice(0, 12));
}
