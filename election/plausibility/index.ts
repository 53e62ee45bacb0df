export * from './finding.ts';
export * from './config.ts';
export * from './rules-table.ts';
export { resultKey } from './history-rules.ts';
export * from './assess.ts';
