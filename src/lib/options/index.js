import schema from '../../../dash_notify/options.schema.json';
import {createValidator} from './validate.js';

/** Validates one options object against dash_notify/options.schema.json. */
export const validateOptions = createValidator(schema);

export {schema};
