import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) lets the WASM backend use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  base: './',
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation, port: 4173 },
  worker: { format: 'es' },
  // Not minified: minifying renames what the threaded WASM backend's pthread workers expect
  // to find in its Emscripten glue ("e is not defined"; tensorflow/tfjs#4107). Plotly ships minified.
  build: { target: 'es2022', chunkSizeWarningLimit: 6000, minify: false },
});
