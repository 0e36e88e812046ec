// The web app is built by the start command (scripts/ui.mjs) and served by the back office from dist/.
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * form-js: its editor pins preact ≤ 10.15.1 (a drag-and-drop fault of later versions, bpmn-io/form-js
 * #760) and gets its own copy, while the viewer it renders fields with would take the app's newer one.
 * Two preacts in one tree break hooks, so every form-js package resolves preact from the editor's
 * place. bpmn-js' properties panel (the designer) keeps the app's copy: a separate tree.
 */
function formJsPreact(): Plugin {
  const editor = fileURLToPath(import.meta.resolve('@bpmn-io/form-js-editor'));
  return {
    name: 'licence-desk:form-js-preact',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!/^preact(\/|$)/.test(source) || !importer || !/[\\/]@bpmn-io[\\/]form-js-(viewer|editor)[\\/]/.test(importer)) return null;
      return this.resolve(source, editor, { skipSelf: true });
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [formJsPreact(), vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } } },
});
