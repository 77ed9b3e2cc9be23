import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

/** What `npm run lint` needs to check the dependency rule: the sources and the cruiser's configuration. */
const SOURCE_FOLDERS = ['core', 'nest-web', 'worker', 'lambdas', 'local', 'tools'] as const;
const CONFIG_FILES = ['package.json', '.dependency-cruiser.cjs', '.dependency-cruiser-resolve.cjs'];
type Folder = (typeof SOURCE_FOLDERS)[number];

/** Subpath import prefix of each source folder (package.json "imports"). */
const ALIAS: Record<Folder, string> = {
  core: '#core',
  'nest-web': '#web',
  worker: '#worker',
  lambdas: '#lambdas',
  local: '#local',
  tools: '#tools',
};

/** A file written into the copy that imports another folder: by subpath, relative path, type-only or dynamically. */
interface Injection {
  readonly file: string;
  readonly to: Folder;
  readonly style: 'subpath' | 'relative' | 'type-only' | 'dynamic';
}

/** One violation of each rule (and a relative-path one), each with the rule it must be reported under. */
const violations: Record<string, Injection & { readonly rule: string }> = {
  'core importing worker by subpath': {
    rule: 'core-imports-no-tier',
    file: 'core/injected-core-to-worker.ts',
    to: 'worker',
    style: 'subpath',
  },
  'core reaching into nest-web by a relative path (../../nest-web/…)': {
    rule: 'core-imports-no-tier',
    file: 'core/scaling/injected-core-to-web.ts',
    to: 'nest-web',
    style: 'relative',
  },
  'nest-web importing a worker type': {
    rule: 'nest-web-imports-no-worker',
    file: 'nest-web/injected-web-to-worker.ts',
    to: 'worker',
    style: 'type-only',
  },
  'worker importing nest-web': {
    rule: 'worker-imports-no-nest-web',
    file: 'worker/injected-worker-to-web.ts',
    to: 'nest-web',
    style: 'subpath',
  },
  'nest-web importing the local stack': {
    rule: 'web-and-worker-import-no-lambdas-local-or-tools',
    file: 'nest-web/injected-web-to-local.ts',
    to: 'local',
    style: 'subpath',
  },
  'lambdas importing worker by a relative path': {
    rule: 'lambdas-import-only-core',
    file: 'lambdas/injected-lambdas-to-worker.ts',
    to: 'worker',
    style: 'relative',
  },
  'tools importing nest-web dynamically': {
    rule: 'tools-import-only-core',
    file: 'tools/injected-tools-to-web.ts',
    to: 'nest-web',
    style: 'dynamic',
  },
};

/** The depcruise half of `npm run lint` (its eslint half is not what this test is about). */
async function dependencyLintCommand(): Promise<string | undefined> {
  const { scripts } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return scripts.lint
    ?.split('&&')
    .map((part) => part.trim())
    .find((part) => part.startsWith('depcruise '));
}

/** A module of `folder` to import: its entry point where it has one, else its first TypeScript file. */
async function someModuleOf(root: string, folder: Folder): Promise<string> {
  const isMain = (file: string) => Number(path.basename(file) === 'main.ts');
  const files = (await readdir(path.join(root, folder), { recursive: true }))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort((a, b) => isMain(b) - isMain(a) || a.localeCompare(b));
  return path.posix.join(folder, files[0]!.split(path.sep).join('/'));
}

/** `worker/main.ts` → `#worker/main.js`. */
function subpathOf(folder: Folder, target: string): string {
  return `${ALIAS[folder]}/${target.slice(folder.length + 1).replace(/\.ts$/, '.js')}`;
}

function importSource(injection: Injection, target: string): string {
  const subpath = subpathOf(injection.to, target);
  const relative = path.posix.relative(path.posix.dirname(injection.file), target.replace(/\.ts$/, '.js'));
  switch (injection.style) {
    case 'subpath':
      return `import * as other from '${subpath}';\nexport const injected = other;\n`;
    case 'relative':
      return `import * as other from '${relative}';\nexport const injected = other;\n`;
    case 'type-only':
      return `import type * as other from '${subpath}';\nexport type Injected = typeof other;\n`;
    case 'dynamic':
      return `export const injected = () => import('${subpath}');\n`;
  }
}

describe('the dependency rule (the depcruise half of npm run lint, on a copy of the tree)', () => {
  let root: string;
  let depcruise: string | undefined;
  /** Each injected file's import target, and the report of the run with every injection in place. */
  const targets = new Map<string, string>();
  let injected: { status: number | null; report: string };

  /** Runs the lint's depcruise command in the copy; its report goes to stdout. */
  function lintDependencies(): { status: number | null; report: string } {
    const bin = [path.join(root, 'node_modules', '.bin'), path.dirname(process.execPath)].join(path.delimiter);
    const command = `PATH="${bin}${path.delimiter}$PATH" ${depcruise ?? 'false'}`;
    const result = spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, report: `${result.stdout}${result.stderr}` };
  }

  /** Every injection is its own file, so one run shows each of them reported under its own rule. */
  async function injectEverything(): Promise<void> {
    for (const injection of Object.values(violations)) {
      const target = await someModuleOf(root, injection.to);
      targets.set(injection.file, target);
      await writeFile(path.join(root, injection.file), importSource(injection, target));
    }
    await writeFile(path.join(root, 'core/injected-unresolvable.ts'), "export { nothing } from '#core/no/such.js';\n");
    const allowed = await Promise.all(
      SOURCE_FOLDERS.filter((folder) => folder !== 'local').map(
        async (folder) => `import '${subpathOf(folder, await someModuleOf(root, folder))}';\n`,
      ),
    );
    await writeFile(path.join(root, 'local/injected-allowed.ts'), allowed.join(''));
  }

  beforeAll(async () => {
    // Prepare: a copy of what the check reads, node_modules linked.
    root = await mkdtemp(path.join(os.tmpdir(), 'glimpse-lint-'));
    for (const entry of [...SOURCE_FOLDERS, ...CONFIG_FILES]) {
      await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    depcruise = await dependencyLintCommand();
  }, 60_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('passes on the tree as it is', () => {
    expect(depcruise).toMatch(/^depcruise .*--config \.dependency-cruiser\.cjs/);
    // Act
    const { status, report } = lintDependencies();
    // Assess
    expect({ status, report }).toEqual({ status: 0, report: expect.stringContaining('no dependency violations') });
  });

  describe('with one violation of each rule injected', () => {
    beforeAll(async () => {
      // Act
      await injectEverything();
      injected = lintDependencies();
    }, 120_000);

    it('fails', () => {
      expect(injected.status).not.toBe(0);
    });

    it.each(Object.entries(violations))('reports %s under its rule', (_name, { rule, file }) => {
      expect(injected.report).toContain(`error ${rule}: ${file} → ${targets.get(file)}`);
    });

    it('reports an import that resolves nowhere (it would escape every rule) as no-unresolvable-import', () => {
      expect(injected.report).toContain(
        'error no-unresolvable-import: core/injected-unresolvable.ts → #core/no/such.js',
      );
    });

    it('reports nothing else: local may import every tier', () => {
      const reported = injected.report.split('\n').filter((line) => /^\s*error /.test(line));
      expect(reported).toHaveLength(Object.keys(violations).length + 1);
      expect(injected.report).not.toContain('local/injected-allowed.ts');
    });
  });
});
