/**
 * The browser's twin of dash_notify/schema_validator.py: the same subset of JSON
 * Schema, the same order of checks and the same messages. tests/unit/test_schema_parity.py
 * runs both on the same inputs.
 */

import {isSafeUrl} from './urls.js';

// Kept in a module of its own: the toasts need it at start, the validator is an async chunk.
export {isSafeUrl};

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
// The twin of schema_validator.py's _LINK_URL.
// eslint-disable-next-line no-control-regex
const LINK_URL = /^(?:\/(?![/\\])[^\x00-\x20\x7f\\]*|[hH][tT][tT][pP][sS]?:\/\/[^\x00-\x20\x7f\\/?#][^\x00-\x20\x7f\\]*)$/;

const error = (field, code, message, allowed = []) => ({field, code, message, allowed});

export function jsonType(value) {
    if (value === null) {
        return 'null';
    }
    if (Array.isArray(value)) {
        return 'array';
    }
    const t = typeof value;
    if (t === 'number') {
        return Number.isInteger(value) ? 'integer' : 'number';
    }
    return t;
}

function matchesType(value, name) {
    const actual = jsonType(value);
    if (name === 'number') {
        return (actual === 'integer' || actual === 'number') && Number.isFinite(value);
    }
    return actual === name;
}

export function show(value) {
    let text;
    try {
        text = JSON.stringify(value);
    } catch {
        text = String(value);
    }
    if (text === undefined) {
        text = String(value);
    }
    // Count code points, as Python does.
    const chars = Array.from(text);
    return chars.length <= 40 ? text : chars.slice(0, 39).join('') + '…';
}

/** The path of `key` inside the object at `path`: `a.b`, or `a["odd key"]`. */
export function childPath(path, key) {
    if (PLAIN_NAME.test(key)) {
        return path === 'options' ? key : `${path}.${key}`;
    }
    return `${path}[${JSON.stringify(key)}]`;
}

const quoted = names => names.map(name => `"${name}"`).join(', ');

function codePoints(s) {
    return Array.from(s);
}

export function editDistance(a, b) {
    const x = codePoints(a);
    const y = codePoints(b);
    let previous = Array.from({length: y.length + 1}, (_, i) => i);
    x.forEach((ca, i) => {
        const current = [i + 1];
        y.forEach((cb, j) => {
            current.push(
                Math.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca === cb ? 0 : 1))
            );
        });
        previous = current;
    });
    return previous[previous.length - 1];
}

export function suggest(name, allowed) {
    let best = null;
    let bestDistance = 3;
    for (const candidate of allowed) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

/**
 * True for a path of the app (a single leading "/") or an http(s) URL with a host;
 * refuses other schemes, "//host", and controls, spaces and backslashes anywhere.
 */
export function isLinkUrl(url) {
    return LINK_URL.test(url);
}

// A category: lower-case ASCII letters, digits, ".", "_" and "-", starting with a letter
// or a digit (its length is the schema's minLength/maxLength).
const CATEGORY = /^(?:[a-z0-9][a-z0-9._-]*)?$/;
const CATEGORY_CHARACTERS = ['a-z', '0-9', '.', '_', '-'];

/** True for a category's characters (the empty string too: its length is checked apart). */
export function isCategory(value) {
    return CATEGORY.test(value);
}

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

// Python's sorted() order for plain strings: by code point.
const byCodePoint = (a, b) => {
    const x = codePoints(a);
    const y = codePoints(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const d = x[i].codePointAt(0) - y[i].codePointAt(0);
        if (d !== 0) {
            return d;
        }
    }
    return x.length - y.length;
};

export function createValidator(schema) {
    const resolve = node => {
        const ref = node.$ref;
        if (ref === undefined) {
            return node;
        }
        if (!ref.startsWith('#/$defs/')) {
            throw new Error(`unsupported $ref ${ref}`);
        }
        return schema.$defs[ref.slice('#/$defs/'.length)];
    };

    const checkString = (node, value, path, errors) => {
        const length = value.length;
        if (has(node, 'minLength') && length < node.minLength) {
            errors.push(
                error(
                    path,
                    'minLength',
                    node.minLength === 1
                        ? `${path}: must not be empty`
                        : `${path}: must be at least ${node.minLength} characters long`
                )
            );
        }
        if (has(node, 'maxLength') && length > node.maxLength) {
            errors.push(
                error(
                    path,
                    'maxLength',
                    `${path}: must be at most ${node.maxLength} characters long, got ${length}`
                )
            );
        }
        if (node.format === 'safe-url' && !isSafeUrl(value)) {
            errors.push(
                error(
                    path,
                    'format',
                    `${path}: ${show(value)} is not an allowed URL; use a relative, http(s), ` +
                        'blob: or data:image/ URL',
                    ['relative', 'http', 'https', 'blob', 'data:image/']
                )
            );
        }
        if (node.format === 'link-url' && !isLinkUrl(value)) {
            errors.push(
                error(
                    path,
                    'format',
                    `${path}: ${show(value)} is not an allowed link; use a path of the app ` +
                        '(starting with one "/") or an http(s) URL',
                    ['/path', 'http', 'https']
                )
            );
        }
        if (node.format === 'category' && !isCategory(value)) {
            errors.push(
                error(
                    path,
                    'format',
                    `${path}: ${show(value)} is not a category; use a-z, 0-9, ".", "_" ` +
                        'and "-", starting with a letter or a digit',
                    CATEGORY_CHARACTERS
                )
            );
        }
    };

    const checkNumber = (node, value, path, errors) => {
        if (has(node, 'minimum') && value < node.minimum) {
            errors.push(
                error(path, 'minimum', `${path}: must be at least ${node.minimum}, got ${show(value)}`)
            );
        }
        if (has(node, 'maximum') && value > node.maximum) {
            errors.push(
                error(path, 'maximum', `${path}: must be at most ${node.maximum}, got ${show(value)}`)
            );
        }
    };

    const checkArray = (node, value, path, errors) => {
        if (has(node, 'minItems') && value.length < node.minItems) {
            errors.push(
                error(
                    path,
                    'minItems',
                    `${path}: at least ${node.minItems} items needed, got ${value.length}`
                )
            );
        }
        if (has(node, 'maxItems') && value.length > node.maxItems) {
            errors.push(
                error(
                    path,
                    'maxItems',
                    `${path}: at most ${node.maxItems} items allowed, got ${value.length}`
                )
            );
            return;
        }
        if (has(node, 'items')) {
            value.forEach((item, index) => check(node.items, item, `${path}[${index}]`, errors));
        }
    };

    // What checkObject reads of a schema node, worked out once per node: the same
    // options are checked for every notification of a burst.
    const objectPlans = new Map();
    const objectPlan = node => {
        let found = objectPlans.get(node);
        if (!found) {
            const properties = node.properties || {};
            found = {
                properties,
                allowed: Object.keys(properties),
                children: Object.entries(properties),
                required: node.required || [],
                requires: Object.entries(node['x-requires-when-true'] || {}),
                excludes: Object.entries(node['x-excludes-when-true'] || {}),
            };
            objectPlans.set(node, found);
        }
        return found;
    };

    const checkObject = (node, value, path, errors) => {
        const {properties, allowed, children, required, requires, excludes} = objectPlan(node);
        if (node.additionalProperties === false) {
            const unknown = Object.keys(value)
                .filter(key => !has(properties, key))
                .sort(byCodePoint);
            for (const key of unknown) {
                const hint = suggest(key, allowed);
                const didYouMean = hint ? `did you mean "${hint}"? ` : '';
                const field = childPath(path, key);
                errors.push(
                    error(
                        field,
                        'unknown',
                        `${field}: unknown option; ${didYouMean}allowed: ${quoted(allowed)}`,
                        allowed
                    )
                );
            }
        }
        for (const name of required) {
            if (!has(value, name)) {
                const field = childPath(path, name);
                errors.push(error(field, 'required', `${field}: is required`));
            }
        }
        for (const [name, child] of children) {
            if (has(value, name)) {
                check(child, value[name], childPath(path, name), errors);
            }
        }
        for (const [flag, needed] of requires) {
            if (value[flag] === true && !(typeof value[needed] === 'string' && value[needed])) {
                const field = childPath(path, needed);
                errors.push(
                    error(field, 'requires', `${field}: a non-empty ${needed} is required when ${flag} is true`)
                );
            }
        }
        for (const [flag, banned] of excludes) {
            if (value[flag] === true && has(value, banned)) {
                const field = childPath(path, banned);
                errors.push(error(field, 'excludes', `${field}: not allowed when ${flag} is true`));
            }
        }
    };

    const check = (rawNode, value, path, errors) => {
        const node = resolve(rawNode);
        if (has(node, 'type')) {
            const names = typeof node.type === 'string' ? [node.type] : node.type;
            if (!names.some(name => matchesType(value, name))) {
                errors.push(
                    error(
                        path,
                        'type',
                        `${path}: expected ${names.join(' or ')}, got ${jsonType(value)}`,
                        names
                    )
                );
                return;
            }
        }
        if (has(node, 'enum')) {
            if (!node.enum.some(item => item === value)) {
                errors.push(
                    error(
                        path,
                        'enum',
                        `${path}: ${show(value)} is not one of ${quoted(node.enum)}`,
                        node.enum
                    )
                );
                return;
            }
        }
        const kind = jsonType(value);
        if (kind === 'string') {
            checkString(node, value, path, errors);
        } else if (kind === 'integer' || kind === 'number') {
            checkNumber(node, value, path, errors);
        } else if (kind === 'array') {
            checkArray(node, value, path, errors);
        } else if (kind === 'object') {
            checkObject(node, value, path, errors);
        }
    };

    /** All problems in `value`, in a stable order; an empty array when it is valid. */
    return function validate(value) {
        const errors = [];
        check(schema, value, 'options', errors);
        return errors;
    };
}
