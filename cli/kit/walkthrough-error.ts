/** A walkthrough step that did not complete; the CLI exits non-zero with the step's name. */
export class WalkthroughStepFailed extends Error {
  readonly step: string;

  constructor(step: string, cause: unknown) {
    super(`step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.step = step;
  }
}
