export * from './job-message.js';
export * from './prediction.js';
export * from './result-record.js';
