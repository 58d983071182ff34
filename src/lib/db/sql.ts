/**
 * SQL as values: text with `?` placeholders plus the parameters, composed with
 * a tagged template. Anything interpolated is a parameter unless it is already
 * a fragment, so text from the URL or a search box never becomes SQL.
 */
export type Param = string | number | boolean | null;

export interface Sql {
	readonly text: string;
	readonly params: readonly Param[];
}

function isSql(x: unknown): x is Sql {
	return typeof x === 'object' && x !== null && 'text' in x && 'params' in x;
}

export function sql(strings: TemplateStringsArray, ...values: (Param | Sql)[]): Sql {
	let text = strings[0];
	const params: Param[] = [];
	values.forEach((v, i) => {
		if (isSql(v)) {
			text += v.text;
			params.push(...v.params);
		} else {
			text += '?';
			params.push(v);
		}
		text += strings[i + 1];
	});
	return { text, params };
}

/** `?, ?, ?` for a list; an empty list is `NULL`, so `IN (…)` matches nothing. */
export function list(values: readonly Param[]): Sql {
	if (values.length === 0) return { text: 'NULL', params: [] };
	return { text: values.map(() => '?').join(', '), params: [...values] };
}

export function join(parts: readonly Sql[], separator: string): Sql {
	return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** A quoted identifier; only names the code itself defines are accepted. */
export function ident(name: string): Sql {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
	return { text: `"${name}"`, params: [] };
}

export const empty: Sql = { text: '', params: [] };
