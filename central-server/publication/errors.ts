import { BaseError } from '../../election/index.ts';

export type PublicationErrorCode =
  /** an extra file of another part has a path outside EXTRA_PATH or one publication owns */
  | 'EXTRA_FILE_INVALID'
  /** --publish-dir exists and is not a snapshot link made by the server */
  | 'PUBLISH_DIR_INVALID';

/** Publication's coded errors (operator-facing; the public never sees them). */
export class PublicationError extends BaseError<PublicationErrorCode> {}
