import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from '../support/paths.js';

/** Debian's python3, which python3-heat installs into (not a virtualenv's). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

const INSTALL_HINT = 'install the deploy tools with `bash .ci/install-deploy-tools` (CI does)';

/** Absolute path of a command on PATH; throws (never skips) when the tool is missing. */
export function requireTool(command: string): string {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  const location = found.stdout?.trim();
  if (found.status !== 0 || !location) throw new Error(`${command} is not installed: ${INSTALL_HINT}`);
  return location;
}

/** Throws unless Debian's python3 can import Heat's engine. */
export function requireHeat(): void {
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} is missing: ${INSTALL_HINT}`);
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import heat.engine.stack'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`python3-heat is not installed (${probe.stderr.trim()}): ${INSTALL_HINT}`);
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr, for failure messages. */
  readonly output: string;
}

/**
 * Runs a command to completion (in the repository root unless `cwd` says otherwise), in this
 * process's environment plus `env` (set through env(1), so the test never reads the environment).
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): RunResult {
  const [file, argv] = withEnv(command, args, options.env);
  const result = spawnSync(file, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { status: result.status, stdout, stderr, output: `${stdout}\n${stderr}`.trim() };
}

/**
 * `run` without blocking the event loop, for a command that talks to a server this process runs.
 */
export function runAsync(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [file, argv] = withEnv(command, args, options.env);
    const child = spawn(file, argv, {
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, output: `${stdout}\n${stderr}`.trim() }));
  });
}

/** The command line that runs `command` with `env` added (through env(1): the test never reads the environment). */
function withEnv(command: string, args: readonly string[], env: Record<string, string> = {}): [string, string[]] {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return assignments.length ? ['env', [...assignments, command, ...args]] : [command, [...args]];
}

/** GLIMPSE_* names mentioned anywhere in a text. */
export function glimpseNamesIn(text: string): string[] {
  return [...new Set(text.match(/\bGLIMPSE_[A-Z0-9_]+\b/g) ?? [])].sort();
}

/** Parses KEY=value lines (env files, heredocs); ignores comments and other lines. */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!.trim().replace(/^'(.*)'$/, '$1');
  }
  return env;
}
