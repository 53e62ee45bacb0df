// Public surface of the election domain. Other packages import from here only.
export * from './error.ts';
export * from './definition.ts';
export * from './schnellmeldung.ts';
export * from './canonical.ts';
export * from './election-error.ts';
export * from './election-index.ts';
export * from './excerpt.ts';
export * from './validate-definition.ts';
export * from './contest-kinds.ts';
export * from './plausibility/index.ts';
export * from './aggregation.ts';
export * from './revisions.ts';
export * from './generator/index.ts';
export * from './form-fields.ts';
export * from './four-eyes/index.ts';
