import js from '@eslint/js';
import globals from 'globals';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
    {ignores: ['node_modules/', 'dash_notify/', '.venv/', '.venv-dash3/', 'build/']},
    js.configs.recommended,
    {
        files: ['src/**/*.js', 'tests/js/**/*.mjs'],
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: 'module',
            parserOptions: {ecmaFeatures: {jsx: true}},
            globals: {...globals.browser, ...globals.serviceworker, ...globals.node},
        },
        plugins: {react, 'react-hooks': reactHooks},
        rules: {
            ...reactHooks.configs.recommended.rules,
            'react/jsx-uses-vars': 'error',
            'react/jsx-uses-react': 'error',
            'react/jsx-key': 'error',
            'react/no-danger': 'error',
            'no-unused-vars': ['error', {varsIgnorePattern: '^React$'}],
        },
    },
    {
        files: ['webpack.config.js'],
        languageOptions: {sourceType: 'commonjs', globals: globals.node},
    },
];
