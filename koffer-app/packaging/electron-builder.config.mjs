// electron-builder configuration of the kit's installers (docs/kit.md "Building installers").
// Build on a machine with Node >= 22.12 (electron-builder 26's own requirement):
//   npm run koffer:build && npx electron-builder@26 --config koffer-app/packaging/electron-builder.config.mjs
import { readFileSync } from 'node:fs';

const rootPackage = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
);
const electronVersion = rootPackage.devDependencies.electron.replace(/^[\^~]/, '');

export default {
  appId: 'de.wahlkoffer.kit',
  productName: 'Wahlkoffer',
  copyright: 'MIT',
  electronVersion,
  directories: {
    // `npm run koffer:build` bundles main, preload and renderer into this one directory
    app: 'koffer-app/dist',
    output: 'koffer-app/release',
    buildResources: 'koffer-app/packaging',
  },
  files: ['**/*', '!**/*.map'],
  // the app code in one archive whose hash Electron checks (fuse: asar integrity, asar only)
  asar: true,
  // everything is bundled by esbuild: no node_modules and no native modules in the app
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  afterPack: './koffer-app/packaging/after-pack.mjs',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    executableName: 'wahlkoffer',
  },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: false },
  mac: { target: ['dmg'], hardenedRuntime: true, category: 'public.app-category.productivity' },
};
