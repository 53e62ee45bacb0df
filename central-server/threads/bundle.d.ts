/** The checkout (or installation) root. */
export declare const ROOT: string;
/** Bundles each entry (name → path relative to ROOT); resolves with name → file URL. */
export declare function bundle<N extends string>(
  entries: Readonly<Record<N, string>>,
): Promise<Record<N, URL>>;
/** Bundle directories kept whatever their age besides the current one, and for how long after their last use. */
export declare const KEEP_OTHERS: number;
export declare const KEEP_USED_WITHIN_MS: number;
/** Which bundle directories to remove, given each one's last use. */
export declare function bundlesToPrune(
  dirs: readonly { readonly name: string; readonly usedMs: number }[],
  current: string,
  nowMs: number,
): string[];
/** Removes from `out` the bundle directories `bundlesToPrune` names; resolves with their names. */
export declare function pruneBundles(
  out: string,
  current: string,
  nowMs: number,
): Promise<string[]>;
