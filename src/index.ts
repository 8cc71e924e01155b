// Public API of binlogsync. Only what is exported here is supported.
export * from './errors.js';
