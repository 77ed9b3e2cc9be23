/**
 * How dependency-cruiser resolves the subpath imports: package.json maps `#core/*` (and each
 * tier's alias) to the compiled `./dist/core/*`; the rules are about the sources, so each alias
 * points at its source folder instead, and `.js` specifiers find their `.ts` files.
 * Read by .dependency-cruiser.cjs (options.webpackConfig), derived from package.json "imports".
 */
const path = require('node:path');
const { imports } = require('./package.json');

const alias = Object.fromEntries(
  Object.entries(imports).map(([specifier, target]) => [
    specifier.replace(/\/\*$/, ''),
    path.join(__dirname, target.replace(/^\.\/dist\//, '').replace(/\/\*$/, '')),
  ]),
);

module.exports = { resolve: { alias, extensionAlias: { '.js': ['.ts', '.js'] } } };
