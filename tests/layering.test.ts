import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every relative import of the .ts files under `dir`, resolved to a path from the project root. */
function importsUnder(dir: string): { file: string; target: string }[] {
	const out: { file: string; target: string }[] = [];
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith('.ts'))
				for (const m of readFileSync(p, 'utf8').matchAll(/from '(\.[^']+)'|import\('(\.[^']+)'\)/g))
					out.push({ file: p, target: relative('.', join(d, m[1] ?? m[2])) });
		}
	};
	walk(dir);
	return out;
}

describe('layering', () => {
	it('the parser imports neither the generator, the CLI nor the tests', () => {
		const imports = importsUnder('src/lib/report');
		// The scan itself works: the parser's modules import each other.
		expect(imports.filter(({ target }) => target === 'src/lib/report/schema').length).toBeGreaterThan(5);
		expect(imports.filter(({ target }) => !target.startsWith('src/lib/report/'))).toEqual([]);
	});

	it('adapters know formats, not reports: no template, mapping, schema or checks', () => {
		const bad = importsUnder('src/lib/report/adapters').filter(({ target }) => /^src\/lib\/report\/(template|mapping|schema|checks|metadata)/.test(target));
		expect(bad).toEqual([]);
	});

	it('the generator and its writers never import tests', () => {
		const bad = importsUnder('src/lib/synthetic').filter(({ target }) => target.startsWith('tests/'));
		expect(bad).toEqual([]);
	});
});
