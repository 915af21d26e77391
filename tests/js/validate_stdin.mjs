// Reads a JSON array of values on stdin and prints, for each, the errors that the
// browser's validator reports (used by tests/unit/test_schema_parity.py).
import {readFileSync} from 'node:fs';
import {createValidator} from '../../src/lib/options/validate.js';

const schema = JSON.parse(readFileSync(new URL('../../dash_notify/options.schema.json', import.meta.url)));
const validate = createValidator(schema);
const values = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(values.map(value => validate(value))));
