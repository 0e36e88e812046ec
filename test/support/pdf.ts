/** Reading rendered PDFs back as a person would: their text (pdftotext) and a picture of page 1 (pdftoppm). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function need(tool: string): void {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is missing: apt-get install poppler-utils (.ci/run installs it)`);
  }
}

export function pdfText(pdf: Buffer): string {
  need('pdftotext');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-pdf-'));
  try {
    const file = path.join(dir, 'n.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first page as test-results/notices/<name>.png; returns its path. */
export function screenshotFirstPage(pdf: Buffer, name: string): string {
  need('pdftoppm');
  const out = path.resolve('test-results', 'notices');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(out, name)]);
  fs.rmSync(file);
  return path.join(out, `${name}.png`);
}

/** pdftotext breaks lines where the page does: compare without whitespace. */
export const squash = (s: string) => s.replace(/\s+/g, '');
