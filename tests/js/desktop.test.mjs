import {test} from 'node:test';
import assert from 'node:assert/strict';

import {webOptions} from '../../src/lib/desktop/dispatch.js';
import {makeClick, makeEnvelope, readEnvelope} from '../../src/lib/desktop/envelope.js';

const meta = {id: 'n1', componentId: 'c', tabId: 't', appRoot: 'http://h/', url: 'http://h/p'};

test('severity sets how long a notification stays and whether it makes a sound', () => {
    const mode = severity => {
        const o = webOptions({title: 't', severity}, meta);
        return [o.requireInteraction, o.silent];
    };
    assert.deepEqual(mode('Critical'), [true, false]);
    assert.deepEqual(mode('High'), [true, false]);
    assert.deepEqual(mode('Medium'), [false, false]);
    assert.deepEqual(mode('Low'), [false, true]);
    assert.deepEqual(mode('None'), [false, false]);
    assert.deepEqual(mode(undefined), [false, false]);
});

test('explicit options win except where Critical must hold', () => {
    assert.equal(webOptions({title: 't', severity: 'High', requireInteraction: false}, meta).requireInteraction, false);
    assert.equal(webOptions({title: 't', severity: 'Critical', requireInteraction: false}, meta).requireInteraction, true);
    assert.equal(webOptions({title: 't', severity: 'Critical', silent: true}, meta).silent, false);
    assert.equal(webOptions({title: 't', severity: 'Low', silent: false}, meta).silent, false);
    // A vibration pattern with silent is a TypeError in the browser: Low must not add silent.
    assert.equal(webOptions({title: 't', severity: 'Low', vibrate: [10]}, meta).silent, false);
    assert.equal(webOptions({title: 't', severity: 'Critical', tag: 'x'}, meta).renotify, true);
    assert.equal(webOptions({title: 't', severity: 'Critical'}, meta).renotify, undefined);
});

test('standard options pass through and actions keep only what the browser shows', () => {
    const o = webOptions(
        {
            title: 't',
            body: 'b',
            icon: '/i.png',
            lang: 'en',
            dir: 'rtl',
            timestamp: 5,
            actions: [{action: 'a', title: 'A', interop: {method: 'M'}}],
        },
        meta
    );
    assert.equal(o.body, 'b');
    assert.equal(o.icon, '/i.png');
    assert.equal(o.lang, 'en');
    assert.equal(o.dir, 'rtl');
    assert.equal(o.timestamp, 5);
    assert.deepEqual(o.actions, [{action: 'a', title: 'A'}]);
    assert.equal('image' in o, false);
});

test('the envelope carries what a click needs, even with the page gone', () => {
    const options = {
        title: 't',
        severity: 'High',
        source: 'CI',
        tag: 'g',
        data: {k: 1},
        clickInterop: {method: 'Body', arguments: [1]},
        actions: [
            {action: 'a1', title: 'One', interop: {method: 'One', arguments: {x: 1}}},
            {action: 'a2', title: 'Two'},
        ],
    };
    const envelope = readEnvelope({data: webOptions(options, meta).data});
    assert.deepEqual(envelope, makeEnvelope(options, meta));
    const body = makeClick(envelope, '', 'desktop', 'e1');
    assert.equal(body.action, null);
    assert.deepEqual(body.interop, {method: 'Body', arguments: [1]});
    assert.equal(body.severity, 'High');
    assert.equal(body.source, 'CI');
    assert.deepEqual(body.data, {k: 1});
    assert.equal(makeClick(envelope, 'a1', 'desktop', 'e2').interop.method, 'One');
    assert.equal(makeClick(envelope, 'a2', 'desktop', 'e3').interop, null);
    assert.equal(readEnvelope({data: {other: 1}}), null);
    assert.equal(readEnvelope({data: null}), null);
});
