/** The app's version from package.json, put in by Vite's `define` at build and test time. */
declare const __STRONGROOM_VERSION__: string;

interface ImportMetaEnv {
  /** Where the README is published (a packager's choice); without it the About dialog names sections only. */
  readonly VITE_STRONGROOM_README_URL?: string;
}
