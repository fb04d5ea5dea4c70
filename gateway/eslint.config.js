import root from '../eslint.config.js';

/** The repository's rules, plus the browser globals of the dashboard's plain JavaScript modules. */
const BROWSER_GLOBALS = ['document', 'window', 'location', 'history', 'sessionStorage', 'fetch', 'WebSocket', 'crypto', 'prompt', 'setTimeout', 'clearTimeout', 'setInterval', 'URLSearchParams', 'Intl', 'Node'];

export default [
  ...root,
  {
    files: ['src/dashboard/**/*.js'],
    languageOptions: { sourceType: 'module', globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])) },
  },
];
