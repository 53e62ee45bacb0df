/** The checkout (or installation) root. */
export declare const ROOT: string;
/** Bundles each entry (name → path relative to ROOT); resolves with name → file URL. */
export declare function bundle<N extends string>(
  entries: Readonly<Record<N, string>>,
): Promise<Record<N, URL>>;
