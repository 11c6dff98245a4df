/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// One version for the app: package.json's, shown in the About dialog (declared in src/globals.d.ts).
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  plugins: [react()],
  // Also applies under Vitest, which reads this file, so tests see the same value.
  define: {
    __STRONGROOM_VERSION__: JSON.stringify(version),
  },
  // Relative asset URLs so the bundle also loads from tauri://localhost.
  base: "./",
  // Keep the Rust compiler's output visible when run by `tauri dev`.
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  server: {
    port: 1420,
    strictPort: true,
  },
  css: {
    preprocessorOptions: {
      scss: {
        // Carbon's own deprecation notices are not ours to fix.
        quietDeps: true,
      },
    },
  },
  build: {
    outDir: "dist",
    // The bundle is read from disk by the desktop shell, not downloaded.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // Compiling all of Carbon's Sass is expected to dominate the build.
      checks: { bundlerTimings: false },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    // The suite shares small CI machines with Rust builds; typing through Carbon's inputs
    // under that load can take longer than the default 5 s without anything being wrong.
    testTimeout: 20_000,
    // Carbon announces its v12 opt-in flags once per flag in development.
    onConsoleLog: (log) => !log.startsWith("[@carbon/feature-flags]"),
  },
});
