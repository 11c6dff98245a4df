/** The README sections someone opening About is most likely to want, with their anchors. */
export const README_SECTIONS = [
  { title: "Set up and run", anchor: "set-up-and-run-fresh-debian-12--ubuntu-machine" },
  { title: "Headless: a Key Protect–compatible API", anchor: "headless-a-key-protectcompatible-api" },
  { title: "Use it from your code", anchor: "use-it-from-your-code" },
  { title: "Connect to a remote instance", anchor: "connect-to-a-remote-instance" },
  { title: "What a wrap looks like", anchor: "what-a-wrap-looks-like" },
] as const;

/** package.json's version, put in by Vite at build and test time. */
export const APP_VERSION = __STRONGROOM_VERSION__;
