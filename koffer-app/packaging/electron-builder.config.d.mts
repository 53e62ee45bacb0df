declare const config: {
  readonly appId: string;
  readonly productName: string;
  readonly electronVersion: string;
  readonly directories: { readonly app: string; readonly output: string };
  readonly asar: boolean;
  readonly npmRebuild: boolean;
  readonly afterPack: string;
  readonly [key: string]: unknown;
};
export default config;
