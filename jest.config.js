/** Jest on ESM TypeScript via @swc/jest (decorator metadata on, or Nest DI breaks silently). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: '<rootDir>/test/support/typed-array-environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^#core/(.*)\\.js$': '<rootDir>/core/$1',
    '^#worker/(.*)\\.js$': '<rootDir>/worker/$1',
    '^#web/(.*)\\.js$': '<rootDir>/nest-web/$1',
    '^#local/(.*)\\.js$': '<rootDir>/local/$1',
    '^#lambdas/(.*)\\.js$': '<rootDir>/lambdas/$1',
    '^#tools/(.*)\\.js$': '<rootDir>/tools/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testTimeout: 60_000,
};
