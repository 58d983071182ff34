import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time, each building or reusing build/ and serving it.
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
