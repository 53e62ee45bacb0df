// Public surface of publication (issue 8 step 1): the results model, its renderers, the
// incremental snapshot builder, the snapshot directory and the Publisher service.
export type * from './model.ts';
export { DISTRICT_SOURCES } from './model.ts';
export { PublicationState, type CountedReport, type PublicationView } from './state.ts';
export { buildResultsModel, buildAreaModel, createModelContext } from './compute.ts';
export {
  renderResultsJson,
  renderResultsJsonBytes,
  renderResultsJsonOf,
  renderAreaJson,
  RESULTS_FORMAT,
} from './render-json.ts';
export { renderKergCsv, KERG_COLUMNS, GEBIETSART, wahlart } from './render-kerg.ts';
export { renderEml, EML_NAMESPACE } from './render-eml.ts';
export { renderAreaPage, type HtmlOptions } from './html/area-page.ts';
export { pageFile } from './html/paths.ts';
export {
  renderManifest,
  ManifestRenderer,
  file,
  EXTRA_PATH,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  SIGNATURE_FILE,
  type SnapshotFile,
} from './snapshot.ts';
export {
  SnapshotBuilder,
  type BuildOptions,
  type BuiltSnapshot,
  type BuiltFile,
} from './builder.ts';
export { SnapshotDirectory } from './snapshot-dir.ts';
export { Publisher, type Published, type PublisherOptions } from './publisher.ts';
export { PublicationThread } from './worker/client.ts';
export { servePublication, PUBLIC_PREFIX, type ServedFile } from './serve.ts';
export { PublicationError, type PublicationErrorCode } from './errors.ts';
