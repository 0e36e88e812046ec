/**
 * A notice as PDF: A4, the CJK font the project installs with npm (Noto Sans SC, SIL OFL 1.1,
 * from @expo-google-fonts/noto-sans-sc — a whole TTF, which the PDF subsets), and a QR code to the
 * status page. Nothing is fetched at run time.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;

function loadFonts() {
  fonts ??= {
    regular: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

export interface Printable {
  title: string;
  caseNo: string;
  text: string;
  unitName: string;
  issuedOn: string;
  statusUrl: string;
}

const MM = 72 / 25.4;
/** two ideographic spaces (U+3000): how a Chinese paragraph opens */
const INDENT = '\u3000\u3000';

export async function renderPdf(n: Printable): Promise<Buffer> {
  const f = loadFonts();
  const qr = await QRCode.toBuffer(n.statusUrl, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({ size: 'A4', margins: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM }, info: { Title: n.title, Subject: n.caseNo, Creator: 'licence-desk' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', f.regular);
  doc.registerFont('cjk-bold', f.bold);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('cjk-bold').fontSize(20).text(n.title, { align: 'center', width });
  doc.moveDown(0.4).font('cjk').fontSize(11).text(`办件编号：${n.caseNo}`, { align: 'center', width });
  doc.moveDown(1.2).fontSize(14);
  const [first, ...rest] = n.text.split('\n');
  doc.text(first ?? '', { width, lineGap: 6 });
  for (const para of rest) {
    // numbered items (reasons, missing materials) are indented; prose opens with two ideographic spaces
    const item = /^\d+\. /.test(para);
    doc.text(item ? para : `${INDENT}${para}`, { width, lineGap: 6 });
  }
  doc.moveDown(2);
  doc.text(n.unitName, { align: 'right', width });
  doc.text(n.issuedOn, { align: 'right', width });
  doc.moveDown(1.5);
  const y = Math.min(doc.y, doc.page.height - doc.page.margins.bottom - 30 * MM);
  doc.image(qr, doc.page.margins.left, y, { width: 26 * MM });
  doc.fontSize(9).text('扫码查询办件进度（凭查询码）', doc.page.margins.left + 30 * MM, y + 8 * MM, { width: width - 30 * MM });
  doc.text(n.statusUrl, { width: width - 30 * MM });
  doc.end();
  return done;
}
