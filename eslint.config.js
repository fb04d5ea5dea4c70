import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering, as data: which workspace packages each package may import (DESIGN.md, "Layout").
 * Connectors, processors and the simulator never import each other; everything rests on schemas
 * (contracts) and runtime (transport, logging, metrics, settings). A wrong import fails `npm test`
 * (lint), and test/boundaries.test.ts checks that every import is declared and that no file-level
 * import cycle exists.
 */
const MAY_IMPORT = {
  schemas: [],
  runtime: ['schemas'],
  simulator: ['schemas', 'runtime'],
  connectors: ['schemas', 'runtime'],
  processors: ['schemas', 'runtime'],
  gateway: ['schemas', 'runtime', 'processors/router', 'processors/synchronizer'],
  infra: ['runtime'],
  client: ['schemas', 'runtime'],
  cli: ['schemas', 'runtime', 'simulator', 'connectors', 'processors', 'gateway', 'infra'],
  test: ['schemas', 'runtime', 'simulator', 'connectors', 'processors', 'gateway', 'infra', 'cli', 'client'],
};
const PACKAGES = Object.keys(MAY_IMPORT);

/** The import restrictions of one package: other packages only by name, and only those it may use. */
function boundaryOf(name) {
  const allowed = MAY_IMPORT[name];
  const others = PACKAGES.filter((other) => other !== name);
  // A package allowed only through a sub-entry (the gateway: processors/router) is forbidden but for it.
  const forbidden = others
    .filter((other) => !allowed.includes(other))
    .map((other) => {
      const entries = allowed.filter((a) => a.startsWith(`${other}/`)).map((a) => a.slice(other.length));
      return entries.length === 0 ? `${other}(/.*)?` : `${other}(?!(${entries.join('|')})$)(/.*)?`;
    });
  const patterns = [
    { group: others.map((other) => `**/${other}/src/**`), message: 'import another package by its name (@crossvenue/…), never by a relative path into its src/' },
  ];
  if (forbidden.length > 0) {
    patterns.push({
      regex: `^@crossvenue/(${forbidden.join('|')})$`,
      message: `${name}/ may import only ${allowed.map((a) => `@crossvenue/${a}`).join(', ') || 'no other package'} (the layering in eslint.config.js)`,
    });
  }
  return { files: [`${name}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

/** The browser globals of the dashboard's plain JavaScript modules. */
const BROWSER_GLOBALS = ['document', 'window', 'location', 'history', 'sessionStorage', 'fetch', 'WebSocket', 'crypto', 'prompt', 'setTimeout', 'clearTimeout', 'setInterval', 'URLSearchParams', 'Intl', 'Node'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.stack/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  ...PACKAGES.map(boundaryOf),
  {
    files: ['gateway/src/dashboard/**/*.js'],
    languageOptions: { sourceType: 'module', globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])) },
  },
);

export { MAY_IMPORT };
