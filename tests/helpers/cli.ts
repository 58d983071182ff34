import { spawn, spawnSync } from 'node:child_process';

/** Run the CLI as a user would (`npm run cli -- …` is tsx src/cli/main.ts). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
		cwd: opts.cwd ?? process.cwd(),
		env: { ...process.env, ...opts.env },
		encoding: 'utf8',
		timeout: 120_000
	});
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start the CLI without waiting (to interrupt it). */
export function startCli(args: string[]) {
	return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
