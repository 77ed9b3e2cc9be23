import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireTool, run } from './tools.js';

/**
 * Highest overall exposure `systemd-analyze security` may give a Glimpse unit (0 best, 10 worst;
 * 2.0 is well inside "OK"). The web unit scores 1.4, the worker 1.7 (it keeps the GPU and the
 * instance metadata service it needs).
 */
export const EXPOSURE_THRESHOLD = 2.0;

/**
 * Sandbox settings both units must have, whatever the exposure sum says. No MemoryDenyWriteExecute:
 * V8's JIT needs writable and executable pages.
 */
export const REQUIRED_HARDENING: Readonly<Record<string, string>> = {
  NoNewPrivileges: 'yes',
  CapabilityBoundingSet: '',
  ProtectSystem: 'strict',
  ProtectHome: 'yes',
  PrivateTmp: 'yes',
  ProtectKernelTunables: 'yes',
  ProtectKernelModules: 'yes',
  ProtectKernelLogs: 'yes',
  ProtectControlGroups: 'yes',
  ProtectClock: 'yes',
  ProtectHostname: 'yes',
  RestrictNamespaces: 'yes',
  RestrictRealtime: 'yes',
  RestrictSUIDSGID: 'yes',
  LockPersonality: 'yes',
  SystemCallFilter: '@system-service',
  SystemCallArchitectures: 'native',
  RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6 AF_NETLINK',
  UMask: '0077',
};

/** `Key=value` settings of one section of a systemd unit (repeated keys keep every value). */
export function unitSettings(unit: string, section: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let current = '';
  for (const line of unit.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) current = header[1]!;
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (setting && current === section) settings.set(setting[1]!, [...(settings.get(setting[1]!) ?? []), setting[2]!]);
  }
  return settings;
}

export interface SecurityReport {
  /** Overall exposure, 0.0 (best) to 10.0. */
  readonly exposure: number;
  /** systemd's word for it: OK, MEDIUM, EXPOSED, UNSAFE... */
  readonly rating: string;
  /** Exit status with --threshold at EXPOSURE_THRESHOLD: 0 at or under it. */
  readonly status: number | null;
  readonly output: string;
}

/** `systemd-analyze security --offline=true` of a unit's text (no running systemd needed). */
export async function analyzeSecurity(unitName: string, unitText: string): Promise<SecurityReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-'));
  try {
    await writeFile(path.join(dir, unitName), unitText);
    const threshold = String(Math.round(EXPOSURE_THRESHOLD * 10));
    const result = run(
      requireTool('systemd-analyze'),
      ['security', '--offline=true', `--threshold=${threshold}`, '--no-pager', `./${unitName}`],
      { cwd: dir },
    );
    const overall = /Overall exposure level for \S+: (\d+\.\d) (\w+)/.exec(result.output);
    if (!overall) throw new Error(`no overall exposure in systemd-analyze's output:\n${result.output}`);
    return { exposure: Number(overall[1]), rating: overall[2]!, status: result.status, output: result.output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The unit without its sandbox: every line from the "# Sandbox" comment to the next section. */
export function withoutSandbox(unitText: string): string {
  return unitText.replace(/^# Sandbox[\s\S]*?(?=^\[)/m, '');
}
