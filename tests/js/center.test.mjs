import {test} from 'node:test';
import assert from 'node:assert/strict';

import {dayGroup, groupByDay, matchesQuery, relativeTime} from '../../src/lib/center/time.js';

const at = (y, m, d, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

test('relative times', () => {
    const now = at(2026, 11, 22, 12, 0);
    assert.equal(relativeTime(now - 10 * 1000, now), 'just now');
    assert.equal(relativeTime(now - 2 * 60 * 1000, now), '2 min ago');
    assert.equal(relativeTime(now - 59 * 60 * 1000, now), '59 min ago');
    assert.equal(relativeTime(now - 3 * 3600 * 1000, now), '3 h ago');
    assert.equal(relativeTime(now - 26 * 3600 * 1000, now), '1 day ago');
    assert.equal(relativeTime(now - 3 * 86400 * 1000, now), '3 days ago');
    assert.equal(relativeTime(now + 5000, now), 'just now'); // a clock slightly ahead
});

test('day groups follow the local calendar, not 24-hour spans', () => {
    const now = at(2026, 11, 22, 0, 30);
    assert.equal(dayGroup(at(2026, 11, 22, 0, 10), now), 'Today');
    assert.equal(dayGroup(at(2026, 11, 21, 23, 50), now), 'Yesterday');
    assert.equal(dayGroup(at(2026, 11, 21, 0, 0), now), 'Yesterday');
    assert.equal(dayGroup(at(2026, 11, 20, 23, 59), now), 'Earlier');
    const items = [at(2026, 11, 22, 0, 20), at(2026, 11, 19), at(2026, 11, 21)].map(timestamp => ({timestamp}));
    assert.deepEqual(
        groupByDay(items, now).map(([name, list]) => [name, list.length]),
        [
            ['Today', 1],
            ['Yesterday', 1],
            ['Earlier', 1],
        ]
    );
    assert.deepEqual(groupByDay([], now), []);
});

test('search looks in title, body and source, ignoring case and spaces around', () => {
    const item = {title: 'Build passed', body: 'main is green', source: 'CI'};
    assert.ok(matchesQuery(item, '  GREEN '));
    assert.ok(matchesQuery(item, 'ci'));
    assert.ok(matchesQuery(item, ''));
    assert.ok(!matchesQuery(item, 'red'));
    assert.ok(!matchesQuery({title: 'x', body: '', source: null}, 'null'));
});

test('search looks in the category too', () => {
    const item = {title: 'Invoice', body: '', source: null, category: 'billing'};
    assert.ok(matchesQuery(item, 'BILL'));
    assert.ok(!matchesQuery({...item, category: null}, 'bill'));
});
