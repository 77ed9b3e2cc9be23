import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { requireTool, run } from './tools.js';

const YAMLLINT_CONFIG = path.join('openstack-heat', '.yamllint');

async function filesIn(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(path.join(REPO_ROOT, dir)))
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name));
}

describe('deployment files lint clean', () => {
  it('yamllint: the Heat template, its example environment and serverless.yml', async () => {
    const files = [...(await filesIn('openstack-heat', '.yaml')), 'serverless.yml'];
    expect(files).toEqual(
      expect.arrayContaining(['openstack-heat/glimpse-web.yaml', 'openstack-heat/environment.example.yaml']),
    );
    const result = run(requireTool('yamllint'), ['--strict', '-c', YAMLLINT_CONFIG, ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('shellcheck: the Packer scripts, the cloud-init script and .ci/install-deploy-tools', async () => {
    const scripts = [
      ...(await filesIn(path.join('packer', 'scripts'), '.sh')),
      ...(await filesIn(path.join('openstack-heat', 'scripts'), '.sh')),
      path.join('.ci', 'install-deploy-tools'),
    ];
    expect(scripts.length).toBeGreaterThanOrEqual(6);
    const result = run(requireTool('shellcheck'), ['--external-sources', ...scripts]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
