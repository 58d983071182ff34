#!/usr/bin/env node
// Runs every test suite (unit, then browser e2e when present) and prints one
// closing line "N passed, N failed, N skipped" that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nianbao-test-'));
const suites = [{ name: 'unit', args: ['vitest', 'run'] }];
if (existsSync('vitest.e2e.config.ts')) suites.push({ name: 'e2e', args: ['vitest', 'run', '--config', 'vitest.e2e.config.ts'] });

let passed = 0;
let failed = 0;
let skipped = 0;
let exit = 0;
for (const suite of suites) {
	const out = join(dir, `${suite.name}.json`);
	if (suite.name === 'e2e') {
		// Build the site once, up front: a build inside a test file's beforeAll is timed by its hook
		// timeout, and on a loaded machine a cold build (brotli over the engine) can outlast any sane one.
		const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
		if (build.status !== 0) {
			console.error(`vite build failed (exit ${build.status}): the browser tests cannot run`);
			failed++;
			exit = 1;
			continue;
		}
	}
	const r = spawnSync('npx', [...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
		stdio: 'inherit'
	});
	if (r.status !== 0) exit = 1;
	if (!existsSync(out)) {
		console.error(`test suite ${suite.name} wrote no report (exit ${r.status})`);
		failed++;
		exit = 1;
		continue;
	}
	const report = JSON.parse(readFileSync(out, 'utf8'));
	passed += report.numPassedTests;
	failed += report.numFailedTests + (report.numFailedTestSuites ?? 0);
	skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
rmSync(dir, { recursive: true, force: true });
if (passed === 0) exit = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exit);
