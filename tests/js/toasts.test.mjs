import {test} from 'node:test';
import assert from 'node:assert/strict';

import {EMPTY, push, remove} from '../../src/lib/toasts/queue.js';
import {deliveryName, plan} from '../../src/lib/delivery.js';

const toast = (id, severity = 'Low', tag = null) => ({id, severity, tag});
const ids = list => list.map(t => t.id);
const settings = {limit: 2, maxQueued: 3};

test('at most `limit` toasts are visible; the rest wait in order', () => {
    const state = push(EMPTY, [toast('a'), toast('b'), toast('c'), toast('d')], settings);
    assert.deepEqual(ids(state.visible), ['a', 'b']);
    assert.deepEqual(ids(state.queued), ['c', 'd']);
    const next = remove(state, 'a', 2);
    assert.deepEqual(ids(next.visible), ['b', 'c']);
    assert.deepEqual(ids(next.queued), ['d']);
});

test('Critical jumps ahead of the ordinary ones waiting, behind earlier Critical ones', () => {
    let state = push(EMPTY, [toast('a'), toast('b'), toast('c'), toast('d')], {...settings, maxQueued: 9});
    state = push(state, [toast('x', 'Critical'), toast('y', 'Critical')], {...settings, maxQueued: 9});
    assert.deepEqual(ids(state.queued), ['x', 'y', 'c', 'd']);
});

test('a tag updates the toast in place, keeping its key and position', () => {
    let state = push(EMPTY, [toast('a', 'Low', 'job'), toast('b')], settings);
    state = push(state, [toast('a2', 'Low', 'job')], settings);
    assert.deepEqual(ids(state.visible), ['a2', 'b']);
    assert.equal(state.visible[0].key, 'a');
    state = push(state, [toast('a3', 'Low', 'job')], settings);
    assert.equal(state.visible[0].key, 'a');
});

test('the queue is bounded, dropping the oldest ordinary toasts first', () => {
    const many = Array.from({length: 10}, (_, i) => toast(`t${i}`));
    let state = push(EMPTY, [...many, toast('c', 'Critical')], settings);
    assert.equal(state.queued.length, 3);
    assert.deepEqual(ids(state.queued), ['c', 't8', 't9']);
    state = push(state, [toast('c2', 'Critical'), toast('c3', 'Critical'), toast('c4', 'Critical')], settings);
    assert.deepEqual(ids(state.queued), ['c2', 'c3', 'c4']);
});

test('delivery plans follow the mode, the permission and showToast', () => {
    assert.deepEqual(plan('auto', {}, 'granted'), {desktop: true, toast: false, reason: null});
    assert.deepEqual(plan('auto', {}, 'denied'), {desktop: false, toast: true, reason: null});
    assert.deepEqual(plan('desktop', {}, 'default'), {desktop: false, toast: false, reason: 'permission-default'});
    assert.deepEqual(plan('desktop', {}, 'unsupported'), {desktop: false, toast: false, reason: 'unsupported'});
    assert.deepEqual(plan('toast', {}, 'granted'), {desktop: false, toast: true, reason: null});
    assert.deepEqual(plan('both', {}, 'granted'), {desktop: true, toast: true, reason: null});
    assert.deepEqual(plan('both', {}, 'denied'), {desktop: false, toast: true, reason: null});
    assert.deepEqual(plan('both', {showToast: false}, 'granted'), {desktop: false, toast: false, reason: null});
    assert.equal(deliveryName({desktop: true, toast: true}, {}), 'both');
    assert.equal(deliveryName({desktop: false, toast: false}, {showToast: false}), 'center');
    assert.equal(deliveryName({desktop: false, toast: false}, {}), null);
});
