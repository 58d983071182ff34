/** Paths of every cell of the report's tables (一 to 四) where a parsed record and the truth differ. */
export function mismatches(parsed: object, truth: object): string[] {
	const out: string[] = [];
	const walk = (a: unknown, b: unknown, path: string) => {
		if (a && b && typeof a === 'object' && typeof b === 'object') {
			for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
				walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
		} else if (a !== b) out.push(path);
	};
	const tables = (r: object) => {
		const { active, requests, review, litigation_direct, litigation_after_review } = r as Record<string, unknown>;
		return { active, requests, review, litigation_direct, litigation_after_review };
	};
	walk(tables(parsed), tables(truth), '');
	return out;
}
