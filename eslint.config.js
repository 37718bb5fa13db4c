import tseslint from 'typescript-eslint';

/** The walls of docs/architecture.md, enforced: who may import whom. */
const wall = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

/**
 * The controller speaks message codes and the UI words them (shared/i18n/message-catalogue.ts): no
 * Chinese sentence is built anywhere in kiosk/controller (the words printed on the card and the demo
 * staff names are content, kept in shared/card-design and shared/contract).
 */
const speaksCodes = {
  files: ['kiosk/controller/**/*.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: 'Literal[value=/[\\u3400-\\u9fff]/]', message: 'no Chinese text in the controller: send a message code (shared/contract/messages.ts) and word it in shared/i18n/message-catalogue.ts.' },
      { selector: 'TemplateElement[value.raw=/[\\u3400-\\u9fff]/]', message: 'no Chinese text in the controller: send a message code (shared/contract/messages.ts) and word it in shared/i18n/message-catalogue.ts.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', 'kiosk/ui/dist/', 'kiosk/electron/dist/', '**/*.mjs', '**/*.cjs', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  wall(['shared/**'], ['node:*', '**/hardware/**', '**/kiosk/**', '**/firmware/**', '**/scripts/**'],
    'shared/ is pure TypeScript: no Node built-ins, no devices, no product code.'),
  wall(['hardware/**', 'firmware/**'], ['**/kiosk/**'], 'a device knows its bytes, not the product flows (no kiosk/ imports).'),
  wall(['hardware/nfc/**'], ['**/card-record/**'], 'the reader knows blocks, keys and authentication; the citizen-card record sits on top of it (hardware/card-record).'),
  wall(['kiosk/ui/src/**'], ['**/hardware/**', '**/firmware/**', '**/controller/**', '**/scripts/**', 'node:*'],
    'the UI imports only shared/.'),
  wall(['kiosk/electron/**'], ['**/hardware/**', '**/firmware/**', '**/controller/**'], 'the Electron shell stays thin.'),
  speaksCodes,
);
