import type { FuseV1Config } from '@electron/fuses';
export declare const KIT_FUSES: FuseV1Config;
