export type AfterPackContext = {
  readonly electronPlatformName: string;
  readonly appOutDir: string;
  readonly arch?: number;
  readonly packager: {
    readonly appInfo: { readonly productFilename: string };
    readonly executableName: string;
  };
};
export function electronBinaryPath(context: AfterPackContext): string;
export function setKitFuses(binary: string, options?: { adHocSign?: boolean }): Promise<void>;
export default function afterPack(context: AfterPackContext): Promise<void>;
