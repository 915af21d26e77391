import {test} from 'node:test';
import assert from 'node:assert/strict';

import {createEmitter} from '../../src/lib/events.js';

function clock() {
    let time = 0;
    return {now: () => time, advance: ms => (time += ms)};
}

test('event lists within the spacing are delivered together, other props at once', async () => {
    const calls = [];
    const time = clock();
    const emit = createEmitter(props => calls.push(props), {spacing: 20, now: time.now});
    emit({shownData: [1]});
    emit({shownData: [2], count: 2});
    emit({errorData: ['e'], shownData: [3]});
    assert.deepEqual(calls, [{shownData: [1]}, {count: 2}]);
    time.advance(20);
    await new Promise(resolve => setTimeout(resolve, 40));
    assert.deepEqual(calls, [{shownData: [1]}, {count: 2}, {shownData: [2, 3], errorData: ['e']}]);
});

test('after a quiet spacing an event goes at once', () => {
    const calls = [];
    const time = clock();
    const emit = createEmitter(props => calls.push(props), {spacing: 20, now: time.now});
    emit({closedData: ['a']});
    time.advance(25);
    emit({closedData: ['b']});
    assert.deepEqual(calls, [{closedData: ['a']}, {closedData: ['b']}]);
});
