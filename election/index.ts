// Public surface of the election domain. Other packages import from here only.
export * from './error.ts';
export * from './definition.ts';
export * from './schnellmeldung.ts';
export * from './canonical.ts';
