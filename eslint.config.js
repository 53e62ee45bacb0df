// Lint configuration. Besides code quality it makes the architecture checkable:
// the dependency direction election <- transparency <- pki <- api <- (central-server, koffer-app/main)
// <- cli, and the purity of election/ and transparency/ (no I/O, no clock, no randomness).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'worker_threads',
  'dgram',
  'dns',
  'tls',
  'os',
  'cluster',
  'process',
  'readline',
  'crypto',
  'path',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.cache/**',
      'central-server/storage/generated/**',
      'central-server/storage/generated-pg/**',
      'bench/reports/**',
      'tests/fixtures/**',
      'coverage/**',
      'koffer-app/dist/**',
      'koffer-app/release/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        { type: 'election', pattern: 'election', partialMatch: false },
        { type: 'transparency', pattern: 'transparency', partialMatch: false },
        { type: 'pki', pattern: 'pki', partialMatch: false },
        { type: 'api', pattern: 'api', partialMatch: false },
        { type: 'central-server', pattern: 'central-server', partialMatch: false },
        { type: 'koffer-main', pattern: 'koffer-app/main', partialMatch: false },
        { type: 'koffer-preload', pattern: 'koffer-app/preload', partialMatch: false },
        { type: 'koffer-renderer', pattern: 'koffer-app/renderer', partialMatch: false },
        { type: 'koffer-shared', pattern: 'koffer-app/shared', partialMatch: false },
        { type: 'cli', pattern: 'cli', partialMatch: false },
        { type: 'tests', pattern: 'tests', partialMatch: false },
        { type: 'bench', pattern: 'bench', partialMatch: false },
        { type: 'scripts', pattern: 'scripts', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            {
              from: { element: { type: 'election' } },
              allow: { to: { element: { type: 'election' } } },
            },
            {
              from: { element: { type: 'transparency' } },
              allow: { to: { element: { types: { anyOf: ['election', 'transparency'] } } } },
            },
            {
              from: { element: { type: 'pki' } },
              allow: { to: { element: { types: { anyOf: ['election', 'transparency', 'pki'] } } } },
            },
            {
              // the HTTP contract: paths, schemas, refusals, OpenAPI, the station-side client
              from: { element: { type: 'api' } },
              allow: {
                to: { element: { types: { anyOf: ['election', 'transparency', 'pki', 'api'] } } },
              },
            },
            {
              from: { element: { type: 'central-server' } },
              allow: {
                to: {
                  element: {
                    types: { anyOf: ['election', 'transparency', 'pki', 'api', 'central-server'] },
                  },
                },
              },
            },
            {
              from: { element: { type: 'koffer-main' } },
              allow: {
                to: {
                  element: {
                    types: {
                      anyOf: [
                        'election',
                        'transparency',
                        'pki',
                        'api',
                        'koffer-main',
                        'koffer-shared',
                      ],
                    },
                  },
                },
              },
            },
            {
              from: { element: { type: 'koffer-preload' } },
              allow: { to: { element: { types: { anyOf: ['koffer-preload', 'koffer-shared'] } } } },
            },
            {
              from: { element: { type: 'koffer-renderer' } },
              allow: {
                to: {
                  element: { types: { anyOf: ['election', 'koffer-renderer', 'koffer-shared'] } },
                },
              },
            },
            {
              from: { element: { type: 'koffer-shared' } },
              allow: { to: { element: { types: { anyOf: ['election', 'koffer-shared'] } } } },
            },
            {
              // cli wires everything; its Chromium harness (cli/kit) builds the same bridge
              // from koffer-app/shared as the preload does
              from: { element: { type: 'cli' } },
              allow: {
                to: {
                  element: {
                    types: {
                      anyOf: [
                        'election',
                        'transparency',
                        'pki',
                        'api',
                        'central-server',
                        'koffer-main',
                        'koffer-shared',
                        'cli',
                      ],
                    },
                  },
                },
              },
            },
            {
              from: { element: { types: { anyOf: ['tests', 'bench', 'scripts'] } } },
              allow: { to: { element: { types: { anyOf: ['*'] } } } },
            },
          ],
        },
      ],
    },
  },
  {
    // election/ is the pure domain: no I/O, no clock, no randomness unless passed in.
    files: ['election/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [
            {
              name: m,
              message: 'election/ is pure: no I/O. Do it in the shell and pass the result in.',
            },
            {
              name: `node:${m}`,
              message: 'election/ is pure: no I/O. Do it in the shell and pass the result in.',
            },
          ]),
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'election/ has no clock: take the time as an argument.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'election/ has no randomness: take a seeded generator.',
        },
        { object: 'process', message: 'election/ has no environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'election/ has no clock: take the time as an argument.',
        },
      ],
    },
  },
  {
    // transparency/ is the Merkle log math: pure like election/, but it hashes and checks
    // signatures, so node:crypto is its one built-in.
    files: ['transparency/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .filter((m) => m !== 'crypto')
            .flatMap((m) => [
              { name: m, message: 'transparency/ is pure: no I/O. Pass the data in.' },
              { name: `node:${m}`, message: 'transparency/ is pure: no I/O. Pass the data in.' },
            ]),
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'transparency/ has no clock.' },
        { object: 'Math', property: 'random', message: 'transparency/ has no randomness.' },
        { object: 'process', message: 'transparency/ has no environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date']",
          message: 'transparency/ has no clock: take the time as an argument.',
        },
      ],
    },
  },
  {
    // The dashboard's scripts run in the office's browsers (served from /office/static/).
    files: ['central-server/office/web/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    // The renderer runs sandboxed in Chromium: no Node, no Electron.
    files: ['koffer-app/renderer/**/*.ts', 'koffer-app/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'electron/*'],
              message: 'The renderer never touches Node or Electron; use the preload bridge.',
            },
          ],
        },
      ],
    },
  },
  {
    // Main never reaches into renderer or preload code (also before those files exist, when
    // the boundaries plugin cannot classify the target yet).
    files: ['koffer-app/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer', '**/renderer/**', '**/preload', '**/preload/**'],
              message: 'Main talks to the renderer only through the IPC contract in shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The IPC contract is imported by the renderer too: the same restrictions apply.
    files: ['koffer-app/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'electron/*'],
              message: 'koffer-app/shared/ runs in the renderer as well: no Node, no Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The preload only builds the typed bridge: contextBridge + ipcRenderer, nothing else.
    files: ['koffer-app/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowImportNames: ['contextBridge', 'ipcRenderer'],
              message: 'The preload exposes the typed bridge only (contextBridge, ipcRenderer).',
            },
          ],
          patterns: [
            {
              group: ['node:*', 'electron/*'],
              message: 'The preload exposes the typed bridge only: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
