import {test} from 'node:test';
import assert from 'node:assert/strict';

import {changeAt, rowsOf, valueAt} from '../../src/lib/center/preferences.js';

const ANSWER = {
    preferences: {
        channels: {inapp: true, push: false, email: true},
        categories: {deploy: {inapp: false, push: false, email: true}, billing: {inapp: true, push: true, email: true}},
        email: 'silent',
    },
    channels: ['inapp', 'push', 'email'],
    categories: ['deploy', 'billing'],
    required: ['billing'],
    modes: ['silent', 'never', 'often', 'daily'],
};

test('a value is read and changed by its path, without touching the original', () => {
    const document = ANSWER.preferences;
    assert.equal(valueAt(document, ['categories', 'deploy', 'inapp']), false);
    assert.equal(valueAt(document, ['categories', 'nope', 'inapp']), undefined);
    const changed = changeAt(document, ['categories', 'deploy', 'inapp'], true);
    assert.equal(changed.categories.deploy.inapp, true);
    assert.equal(document.categories.deploy.inapp, false);
    assert.equal(changed.categories.billing, document.categories.billing);
    assert.deepEqual(changeAt({}, ['categories', 'deploy', 'email'], false), {categories: {deploy: {email: false}}});
    assert.deepEqual(changeAt({}, ['email'], 'daily'), {email: 'daily'});
});

test('rows: all, each category, Critical; required and Critical locked', () => {
    const rows = rowsOf(ANSWER);
    assert.deepEqual(
        rows.map(row => [row.label, Boolean(row.reason)]),
        [
            ['All notifications', false],
            ['deploy', false],
            ['billing', true],
            ['Critical', true],
        ]
    );
    assert.deepEqual(rows[0].path, ['channels']);
    assert.deepEqual(rows[1].path, ['categories', 'deploy']);
    assert.equal(rows[1].values.inapp, false);
    // silent: Critical mail is off too
    assert.equal(rows[3].values.email, false);
    assert.equal(rowsOf({...ANSWER, preferences: {...ANSWER.preferences, email: 'never'}})[3].values.email, true);
    assert.equal(rowsOf({...ANSWER, categories: []})[0].hint, null);
});
