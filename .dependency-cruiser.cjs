/**
 * The dependency rule of Glimpse's tiers, checked by `npm run lint` (dependency-cruiser):
 *
 *   core/      imports no tier;
 *   nest-web/  and worker/ never import each other (nor lambdas/, local/ or tools/);
 *   lambdas/   imports only core/;
 *   tools/     imports only core/;
 *   local/     (the embedded stack) may import anything.
 *
 * Tests are not checked: a test may import whatever it exercises. A violation is reported under
 * its rule's name, followed by the rule's comment, which says the rule in words.
 */
const TIERS = ['nest-web', 'worker', 'lambdas', 'local', 'tools'];
const except = (own) => TIERS.filter((tier) => tier !== own);

/** No module under any of the `from` folders imports one under any of the `to` folders. */
function forbid(name, comment, from, to) {
  const folders = (names) => ({ path: `^(${names.join('|')})/` });
  return { name, comment, severity: 'error', from: folders(from), to: folders(to) };
}

module.exports = {
  forbidden: [
    forbid(
      'core-imports-no-tier',
      'core/ is what every tier shares: it imports no tier (nest-web, worker, lambdas, local, tools).',
      ['core'],
      TIERS,
    ),
    forbid(
      'nest-web-imports-no-worker',
      'The web tier and the workers meet only through the queues and buckets: nest-web/ never imports worker/.',
      ['nest-web'],
      ['worker'],
    ),
    forbid(
      'worker-imports-no-nest-web',
      'The workers and the web tier meet only through the queues and buckets: worker/ never imports nest-web/.',
      ['worker'],
      ['nest-web'],
    ),
    forbid(
      'web-and-worker-import-no-lambdas-local-or-tools',
      'The deployed web tier and workers import only core/ and themselves: not lambdas/, nor the ' +
        'development-only local/ and tools/.',
      ['nest-web', 'worker'],
      ['lambdas', 'local', 'tools'],
    ),
    forbid(
      'lambdas-import-only-core',
      'The scaler Lambda is bundled on its own: lambdas/ imports only core/ and itself.',
      ['lambdas'],
      except('lambdas'),
    ),
    forbid(
      'tools-import-only-core',
      'The CLIs (load client, simulator) import only core/ and themselves, never a tier.',
      ['tools'],
      except('tools'),
    ),
    {
      name: 'no-unresolvable-import',
      comment: 'An import the cruiser cannot resolve escapes every rule above: fix the import or the resolver.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a type from another tier couples the tiers as much as a value.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // package.json maps #core/* and its siblings to the compiled dist/; check the sources instead.
    webpackConfig: { fileName: '.dependency-cruiser-resolve.cjs' },
    enhancedResolveOptions: {
      // ESM-only packages (file-type, vega-lite) have only an `exports` map.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
