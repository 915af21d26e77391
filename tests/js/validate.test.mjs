import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';

import {createValidator, editDistance, isCategory, isSafeUrl, suggest} from '../../src/lib/options/validate.js';

const schema = JSON.parse(readFileSync(new URL('../../dash_notify/options.schema.json', import.meta.url)));
const validate = createValidator(schema);

test('a full valid notification has no errors', () => {
    assert.deepEqual(
        validate({
            title: 'New Trade',
            body: 'VOD.L: 23 shares sold @ $212.03',
            severity: 'High',
            type: 'Alert',
            clickInterop: {method: 'HandleNotificationClick', arguments: {id: '1'}},
            actions: [
                {action: 'callClient', title: 'Call Client', interop: {method: 'CallClient'}},
                {action: 'open', title: 'Open', icon: '/assets/open.png'},
            ],
            tag: 't',
            renotify: true,
            vibrate: [100, 50, 100],
        }),
        []
    );
});

test('a missing title names the field', () => {
    const [error] = validate({body: 'x'});
    assert.equal(error.field, 'title');
    assert.equal(error.code, 'required');
});

test('an unknown severity lists the allowed values', () => {
    const [error] = validate({title: 't', severity: 'Urgent'});
    assert.equal(error.field, 'severity');
    assert.deepEqual(error.allowed, ['Low', 'Medium', 'High', 'Critical', 'None']);
    assert.match(error.message, /"Urgent" is not one of "Low", "Medium"/);
});

test('a third action is refused', () => {
    const action = {action: 'a', title: 'A'};
    const [error] = validate({title: 't', actions: [action, action, action]});
    assert.equal(error.field, 'actions');
    assert.equal(error.code, 'maxItems');
});

test('a typo suggests the option meant', () => {
    const [error] = validate({title: 't', severty: 'Low'});
    assert.equal(error.code, 'unknown');
    assert.match(error.message, /did you mean "severity"\?/);
});

test('nested fields get a path', () => {
    const [error] = validate({title: 't', actions: [{action: 'a', title: 'A', interop: {}}]});
    assert.equal(error.field, 'actions[0].interop.method');
});

test('wrong types say what was expected and what came', () => {
    const [error] = validate({title: 7});
    assert.equal(error.code, 'type');
    assert.equal(error.message, 'title: expected string, got integer');
    assert.equal(validate('hello')[0].message, 'options: expected object, got string');
});

test('cross-field rules of the Notifications API', () => {
    assert.equal(validate({title: 't', renotify: true})[0].code, 'requires');
    assert.equal(validate({title: 't', silent: true, vibrate: 100})[0].code, 'excludes');
    assert.deepEqual(validate({title: 't', silent: false, vibrate: 100}), []);
});

test('javascript: and other unsafe URLs are refused, however they are dressed', () => {
    for (const url of [
        'javascript:alert(1)',
        ' JavaScript:alert(1)',
        'java\tscript:alert(1)',
        '\u0001javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'data:image/svg+xml,<svg onload=alert(1)>',
        'vbscript:x',
    ]) {
        assert.equal(isSafeUrl(url), false, url);
    }
    for (const url of ['/assets/a.png', 'a.png', 'https://x/a.png', 'data:image/png;base64,AA', 'blob:x']) {
        assert.equal(isSafeUrl(url), true, url);
    }
});

test('suggestions use edit distance, case-insensitively', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(suggest('TITLE', ['title', 'body']), 'title');
    assert.equal(suggest('zzzzzz', ['title', 'body']), null);
});

test('a category is a-z, 0-9, ".", "_" and "-", starting with a letter or a digit', () => {
    for (const good of ['deploy', 'ci.deploy_v2-eu', '9', '']) {
        assert.ok(isCategory(good), good);
    }
    for (const bad of ['Deploy', '-x', '.x', 'a b', 'dé', 'x\n', '<b>x</b>', 'x\u0000']) {
        assert.ok(!isCategory(bad), JSON.stringify(bad));
    }
});
